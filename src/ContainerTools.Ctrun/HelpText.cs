namespace ContainerTools.Ctrun;

/// <summary>`ctrun --help`.</summary>
public static class HelpText
{
    public const string Text = """
        ctrun - an OCI runtime (runc's command line) on the ContainerTools engine

        usage: ctrun [global options] command [command options] [arguments...]

        commands:
          create    --bundle DIR [--pid-file F] [--console-socket S] [--preserve-fds N] ID
                    set the container up from the bundle; it waits for start
          start     ID                 run the user process of a created container
          run       --bundle DIR [--detach] [--pid-file F] [--console-socket S] [--keep] ID
                    create + start; in the foreground waits, deletes, and exits with its code
          state     ID                 print the OCI state JSON
          kill      [--all] ID [SIGNAL]   signal the init (default SIGTERM), or every process
          delete    [--force] ID       delete a stopped or created container (--force: kill a running one)
          exec      [--process F | ARGS] [--tty --console-socket S] [--detach] [--pid-file F]
                    [--cwd D] [--env K=V] [--user UID[:GID]] ID
          ps        [--format table|json] ID
          pause     ID / resume ID     freeze and thaw the container's cgroup
          update    [--memory N] [--memory-swap N] [--cpu-quota N] [--cpu-period N] [--cpu-shares N]
                    [--cpuset-cpus L] [--pids-limit N] [--blkio-weight N] [-r resources.json|-] ID
          list      [--format table|json] [--quiet]
          features  print the features document

        global options:
          --root DIR          state directory (default /run/ctrun)
          --log FILE          also write errors to FILE
          --log-format F      text (default) or json lines
          --systemd-cgroup    refused: ctrun manages cgroupfs paths only
          --version, --help
        """;
}
