using System.Diagnostics;
using ContainerTools.Core.Containers;
using ContainerTools.Core.Images;
using ContainerTools.Core.Networking;
using ContainerTools.Core.Runtime;
using ContainerTools.Core.Store;

// CoreStart <ctmon> <image> <runs> <warmup> [phases-file]: create, start, wait for exit and remove a `true`
// container, timed as a whole per run, from a warm process; prints "min median" in milliseconds. With a
// phases file, it also writes there the median of each of the four steps, to show where the time goes.
string monitor = args[0];
string image = args[1];
int runs = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
int warmup = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
string? phasesFile = args.Length > 4 ? args[4] : null;

var store = StoreLocation.Resolve();
var containers = new ContainerStore(store);
var lifecycle = new ContainerLifecycle(containers, monitor);
var source = ContainerImage.FromStore(new ImageStore(store), image);
var options = new ContainerOptions { Command = ["/bin/true"], Network = NetworkSettings.Parse("none", null, null, null) };

string[] steps = ["create", "start", "wait", "remove"];
var times = new List<double>();
var stepTimes = steps.Select(_ => new List<double>()).ToArray();
for (int i = 0; i < warmup + runs; i++)
{
    var marks = new long[steps.Length + 1];
    marks[0] = Stopwatch.GetTimestamp();
    var container = containers.Create(source, options);
    marks[1] = Stopwatch.GetTimestamp();
    lifecycle.Start(container.Id);
    marks[2] = Stopwatch.GetTimestamp();
    lifecycle.Wait(container.Id, null);
    marks[3] = Stopwatch.GetTimestamp();
    lifecycle.Remove(container.Id, force: false);
    marks[4] = Stopwatch.GetTimestamp();
    if (i < warmup)
        continue;
    times.Add(Stopwatch.GetElapsedTime(marks[0], marks[^1]).TotalMilliseconds);
    for (int s = 0; s < steps.Length; s++)
        stepTimes[s].Add(Stopwatch.GetElapsedTime(marks[s], marks[s + 1]).TotalMilliseconds);
}
Console.WriteLine(FormattableString.Invariant($"{times.Min():F2} {Median(times):F2}"));
if (phasesFile is not null)
    File.WriteAllText(phasesFile, string.Join(", ", steps.Select((step, s) => FormattableString.Invariant($"{step} {Median(stepTimes[s]):F2} ms"))));

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
