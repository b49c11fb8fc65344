namespace ContainerTools.Core.Isolation.Seccomp;

/// <summary>
/// The default profile, equivalent to Docker's default (moby profiles/seccomp/default.json): everything not
/// listed fails with EPERM; kernel-wide, keyring, module, kexec, bpf, userfaultfd, mount and namespace calls are
/// only allowed when the container holds the capability that would make them legitimate.
/// </summary>
internal static class DefaultSeccompProfile
{
    private const int EPERM = 1;
    private const int ENOSYS = 38;
    private const ulong AF_VSOCK = 40;

    // CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET.
    private const ulong NewNamespaceFlags = 0x7E020000;

    // personality(2) values ordinary programs use: PER_LINUX, PER_LINUX32, UNAME26 variants, and the query.
    private static readonly ulong[] Personalities = [0x0, 0x8, 0x20000, 0x20008, 0xFFFFFFFF];

    private static readonly string[] AlwaysAllowed =
    [
        "accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "capget", "capset", "chdir", "chmod",
        "chown", "chown32", "clock_adjtime", "clock_adjtime64", "clock_getres", "clock_getres_time64",
        "clock_gettime", "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64", "close", "close_range",
        "connect", "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl",
        "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2",
        "execve", "execveat", "exit", "exit_group", "faccessat", "faccessat2", "fadvise64", "fadvise64_64",
        "fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchown", "fchown32", "fchownat", "fcntl",
        "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork", "fremovexattr", "fsetxattr", "fstat",
        "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate", "ftruncate64", "futex",
        "futex_time64", "futex_waitv", "futimesat", "getcpu", "getcwd", "getdents", "getdents64", "getegid",
        "getegid32", "geteuid", "geteuid32", "getgid", "getgid32", "getgroups", "getgroups32", "getitimer",
        "getpeername", "getpgid", "getpgrp", "getpid", "getppid", "getpriority", "getrandom", "getresgid",
        "getresgid32", "getresuid", "getresuid32", "getrlimit", "get_robust_list", "getrusage", "getsid",
        "getsockname", "getsockopt", "get_thread_area", "gettid", "gettimeofday", "getuid", "getuid32",
        "getxattr", "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel", "ioctl",
        "io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64", "ioprio_get", "ioprio_set",
        "io_setup", "io_submit", "io_uring_enter", "io_uring_register", "io_uring_setup", "ipc", "kill",
        "landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self", "lchown", "lchown32",
        "lgetxattr", "link", "linkat", "listen", "listxattr", "llistxattr", "_llseek", "lremovexattr", "lseek",
        "lsetxattr", "lstat", "lstat64", "madvise", "membarrier", "memfd_create", "memfd_secret", "mincore",
        "mkdir", "mkdirat", "mknod", "mknodat", "mlock", "mlock2", "mlockall", "mmap", "mmap2", "mprotect",
        "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive", "mq_timedreceive_time64", "mq_timedsend",
        "mq_timedsend_time64", "mq_unlink", "mremap", "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock",
        "munlockall", "munmap", "name_to_handle_at", "nanosleep", "newfstatat", "_newselect", "open", "openat",
        "openat2", "pause", "pidfd_open", "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free",
        "pkey_mprotect", "poll", "ppoll", "ppoll_time64", "prctl", "pread64", "preadv", "preadv2", "prlimit64",
        "process_mrelease", "pselect6", "pselect6_time64", "pwrite64", "pwritev", "pwritev2", "read", "readahead",
        "readlink", "readlinkat", "readv", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg",
        "remap_file_pages", "removexattr", "rename", "renameat", "renameat2", "restart_syscall", "rmdir", "rseq",
        "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend",
        "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sched_getaffinity", "sched_getattr",
        "sched_getparam", "sched_get_priority_max", "sched_get_priority_min", "sched_getscheduler",
        "sched_rr_get_interval", "sched_rr_get_interval_time64", "sched_setaffinity", "sched_setattr",
        "sched_setparam", "sched_setscheduler", "sched_yield", "seccomp", "select", "semctl", "semget", "semop",
        "semtimedop", "semtimedop_time64", "send", "sendfile", "sendfile64", "sendmmsg", "sendmsg", "sendto",
        "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32", "setgroups", "setgroups32",
        "setitimer", "setpgid", "setpriority", "setregid", "setregid32", "setresgid", "setresgid32", "setresuid",
        "setresuid32", "setreuid", "setreuid32", "setrlimit", "set_robust_list", "setsid", "setsockopt",
        "set_thread_area", "set_tid_address", "setuid", "setuid32", "setxattr", "shmat", "shmctl", "shmdt",
        "shmget", "shutdown", "sigaltstack", "signalfd", "signalfd4", "sigprocmask", "sigreturn", "socketcall",
        "socketpair", "splice", "stat", "stat64", "statfs", "statfs64", "statx", "symlink", "symlinkat", "sync",
        "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time", "timer_create", "timer_delete",
        "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64",
        "timerfd_create", "timerfd_gettime", "timerfd_gettime64", "timerfd_settime", "timerfd_settime64", "times",
        "tkill", "truncate", "truncate64", "ugetrlimit", "umask", "uname", "unlink", "unlinkat", "utime",
        "utimensat", "utimensat_time64", "utimes", "vfork", "vmsplice", "wait4", "waitid", "waitpid", "write",
        "writev",
    ];

    // Calls that are only legitimate with CAP_SYS_ADMIN: mounts, namespaces, host names, kernel tracing.
    private static readonly string[] SysAdminOnly =
    [
        "bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick", "lookup_dcookie",
        "mount", "mount_setattr", "move_mount", "open_tree", "perf_event_open", "quotactl", "quotactl_fd",
        "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2", "unshare",
    ];

    public static SeccompProfile Create() => new(
        SeccompAction.Errno,
        EPERM,
        [],
        [
            new("SCMP_ARCH_X86_64", ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]),
            new("SCMP_ARCH_AARCH64", ["SCMP_ARCH_ARM"]),
            new("SCMP_ARCH_MIPS64", ["SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64N32"]),
            new("SCMP_ARCH_MIPS64N32", ["SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64"]),
            new("SCMP_ARCH_MIPSEL64", ["SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64N32"]),
            new("SCMP_ARCH_MIPSEL64N32", ["SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64"]),
            new("SCMP_ARCH_S390X", ["SCMP_ARCH_S390"]),
            new("SCMP_ARCH_RISCV64", []),
        ],
        [
            new(AlwaysAllowed, SeccompAction.Allow),
            Allow(["process_vm_readv", "process_vm_writev", "ptrace"]) with { Includes = Kernel(4, 8) },
            Allow(["socket"]) with { Arguments = [new(0, AF_VSOCK, 0, SeccompOperator.NotEqual)] },
            .. Personalities.Select(p => Allow(["personality"]) with { Arguments = [new(0, p, 0, SeccompOperator.Equal)] }),

            Allow(["sync_file_range2", "swapcontext"]) with { Includes = Arches("ppc64le") },
            Allow(["arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush", "set_tls"]) with { Includes = Arches("arm", "arm64") },
            Allow(["arch_prctl"]) with { Includes = Arches("amd64", "x32") },
            Allow(["modify_ldt"]) with { Includes = Arches("amd64", "x32", "x86") },
            Allow(["s390_pci_mmio_read", "s390_pci_mmio_write", "s390_runtime_instr"]) with { Includes = Arches("s390", "s390x") },
            Allow(["riscv_flush_icache"]) with { Includes = Arches("riscv64") },

            WithCapability("CAP_DAC_READ_SEARCH", "open_by_handle_at"),
            WithCapability("CAP_SYS_ADMIN", SysAdminOnly),
            // Without CAP_SYS_ADMIN a process may fork and make threads, but not create namespaces.
            // (s390 passes clone's flags second.)
            Allow(["clone"]) with
            {
                Arguments = [new(0, NewNamespaceFlags, 0, SeccompOperator.MaskedEqual)],
                Excludes = new(["CAP_SYS_ADMIN"], ["s390", "s390x"], null),
            },
            Allow(["clone"]) with
            {
                Arguments = [new(1, NewNamespaceFlags, 0, SeccompOperator.MaskedEqual)],
                Includes = Arches("s390", "s390x"),
                Excludes = new(["CAP_SYS_ADMIN"], [], null),
            },
            // clone3 passes its flags in memory a filter cannot read: ENOSYS makes libc fall back to clone.
            new(["clone3"], SeccompAction.Errno, ENOSYS, [], SeccompRuleFilter.None, new(["CAP_SYS_ADMIN"], [], null)),

            WithCapability("CAP_SYS_BOOT", "reboot"),
            WithCapability("CAP_SYS_CHROOT", "chroot"),
            WithCapability("CAP_SYS_MODULE", "delete_module", "init_module", "finit_module"),
            WithCapability("CAP_SYS_PACCT", "acct"),
            WithCapability("CAP_SYS_PTRACE", "kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"),
            WithCapability("CAP_SYS_RAWIO", "iopl", "ioperm"),
            WithCapability("CAP_SYS_TIME", "settimeofday", "stime", "clock_settime", "clock_settime64"),
            WithCapability("CAP_SYS_TTY_CONFIG", "vhangup"),
            WithCapability("CAP_SYS_NICE", "get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"),
            WithCapability("CAP_SYSLOG", "syslog"),
            WithCapability("CAP_BPF", "bpf"),
            WithCapability("CAP_PERFMON", "perf_event_open"),
        ]);

    private static SeccompSyscallRule Allow(string[] names) => new(names, SeccompAction.Allow);

    private static SeccompSyscallRule WithCapability(string capability, params string[] names) =>
        Allow(names) with { Includes = new([capability], [], null) };

    private static SeccompRuleFilter Arches(params string[] arches) => new([], arches, null);

    private static SeccompRuleFilter Kernel(int major, int minor) => new([], [], new Version(major, minor));
}
