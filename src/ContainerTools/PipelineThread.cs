namespace ContainerTools;

/// <summary>
/// Runs asynchronous engine work while the cmdlet's own thread writes what it reports: PowerShell lets only the
/// pipeline thread call WriteProgress, but pulls and pushes report from many tasks at once. The pipeline thread
/// waits on a monitor, which sleeps at once: BlockingCollection's spinning wait took CPU from the pull's own threads
/// on every report.
/// </summary>
internal sealed class PipelineThread
{
    private readonly Queue<Action> _queue = new();
    private readonly object _gate = new();
    private bool _completed; // guarded by _gate

    /// <summary>A progress sink whose reports run <paramref name="write"/> on the pipeline thread.</summary>
    public IProgress<T> Progress<T>(Action<T> write) => new Sink<T>(this, write);

    /// <summary>Waits for <paramref name="work"/> on the pipeline thread, writing its reports as they come.</summary>
    public T Run<T>(Task<T> work)
    {
        work.ContinueWith(_ =>
        {
            lock (_gate)
            {
                _completed = true;
                Monitor.Pulse(_gate);
            }
        }, TaskScheduler.Default);
        while (Next() is { } action)
            action();
        return work.GetAwaiter().GetResult();
    }

    /// <summary>The next report to write, or null once the work has completed and every report is written.</summary>
    private Action? Next()
    {
        lock (_gate)
        {
            while (_queue.Count == 0 && !_completed)
                Monitor.Wait(_gate);
            return _queue.TryDequeue(out var action) ? action : null;
        }
    }

    private void Add(Action action)
    {
        lock (_gate)
        {
            if (_completed)
                return; // a late report has nowhere to go
            _queue.Enqueue(action);
            if (_queue.Count == 1)
                Monitor.Pulse(_gate);
        }
    }

    private sealed class Sink<T>(PipelineThread thread, Action<T> write) : IProgress<T>
    {
        public void Report(T value) => thread.Add(() => write(value));
    }
}
