using System.Diagnostics;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Images;
using ContainerTools.Core.Networking;
using ContainerTools.Core.Runtime;
using ContainerTools.Core.Store;

// CoreStart <ctmon> <image> <runs> <warmup>: create, start, wait for exit and remove a `true` container,
// timed as a whole per run, from a warm process; prints "min median" in milliseconds.
string monitor = args[0];
string image = args[1];
int runs = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
int warmup = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);

var store = StoreLocation.Resolve();
var containers = new ContainerStore(store);
var lifecycle = new ContainerLifecycle(containers, monitor);
var source = ContainerImage.FromStore(new ImageStore(store), image);
var options = new ContainerOptions { Command = ["/bin/true"], Network = NetworkSettings.Parse("none", null, null, null) };

var times = new List<double>();
for (int i = 0; i < warmup + runs; i++)
{
    long start = Stopwatch.GetTimestamp();
    var container = containers.Create(source, options);
    lifecycle.Start(container.Id);
    lifecycle.Wait(container.Id, null);
    lifecycle.Remove(container.Id, force: false);
    if (i >= warmup)
        times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
}
times.Sort();
double median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
Console.WriteLine(FormattableString.Invariant($"{times[0]:F2} {median:F2}"));
