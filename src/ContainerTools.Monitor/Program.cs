namespace ContainerTools.Monitor;

/// <summary>ctmon: dispatches to the monitor or the container's init by its first argument.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: ctmon <command> ...");
        return 2;
    }
}
