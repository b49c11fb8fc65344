namespace ContainerTools.Core.Build.Execution;

/// <summary>What a build reports while it works; the cmdlet turns these into progress, information and warnings.</summary>
public interface IBuildObserver
{
    /// <summary>Step <paramref name="number"/> of <paramref name="total"/> begins (numbered across the stages built).</summary>
    void Step(int number, int total, string stage, string createdBy, bool cached);

    /// <summary>A line a RUN printed.</summary>
    void Output(string line);

    void Warning(string message);

    /// <summary>A base image is being pulled from its registry (the build waits for it).</summary>
    void Pulling(string image);
}
