using System.Collections.Concurrent;

namespace ContainerTools;

/// <summary>
/// Runs asynchronous engine work while the cmdlet's own thread writes what it reports: PowerShell lets only the
/// pipeline thread call WriteProgress, but pulls and pushes report from many tasks at once.
/// </summary>
internal sealed class PipelineThread : IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();

    /// <summary>A progress sink whose reports run <paramref name="write"/> on the pipeline thread.</summary>
    public IProgress<T> Progress<T>(Action<T> write) => new Sink<T>(this, write);

    /// <summary>Waits for <paramref name="work"/> on the pipeline thread, writing its reports as they come.</summary>
    public T Run<T>(Task<T> work)
    {
        work.ContinueWith(_ => _queue.CompleteAdding(), TaskScheduler.Default);
        foreach (var action in _queue.GetConsumingEnumerable())
            action();
        return work.GetAwaiter().GetResult();
    }

    public void Dispose() => _queue.Dispose();

    private sealed class Sink<T>(PipelineThread thread, Action<T> write) : IProgress<T>
    {
        public void Report(T value)
        {
            try
            {
                thread._queue.TryAdd(() => write(value));
            }
            catch (InvalidOperationException)
            {
                // the work has completed: a late report has nowhere to go
            }
        }
    }
}
