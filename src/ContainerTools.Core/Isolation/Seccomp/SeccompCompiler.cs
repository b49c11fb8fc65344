using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using ContainerTools.Core.Native;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace ContainerTools.Core.Isolation.Seccomp;

/// <summary>
/// Compiles a profile into the classic BPF program seccomp(2) loads, on the host side with libseccomp, so a
/// bad profile fails before anything starts and the container's init only has to hand the bytes to the kernel.
/// Rules are chosen as Docker chooses them: against the container's capabilities, this machine's architecture
/// and kernel.
/// </summary>
public static class SeccompCompiler
{
    private const int EPERM = 1;

    /// <summary>
    /// libseccomp's binary-tree layout: the kernel emulates the program for every syscall number when it loads it
    /// (its cache of always-allowed calls), and a linear list of Docker's ~350 syscalls made that ~0.8 ms of every
    /// container's start, and a walk down the list for every syscall the container makes.
    /// </summary>
    private const uint BinaryTree = 2;
    private const uint MFD_CLOEXEC = 1;

    /// <summary>The keys worked out in this process, by profile and then by capabilities (see <see cref="Key"/>).</summary>
    private static readonly ConditionalWeakTable<SeccompProfile, ConcurrentDictionary<string, string>> KeysOf = [];

    /// <summary>The BPF program (8-byte sock_filter instructions) for <paramref name="profile"/>.</summary>
    /// <param name="capabilities">The container's capabilities (CAP_* names); they decide the rules with caps in includes/excludes.</param>
    /// <exception cref="EngineException">UnknownCapability for a capability name that is not one.</exception>
    public static byte[] Compile(SeccompProfile profile, IEnumerable<string> capabilities)
    {
        var filter = Applicable(profile, capabilities);
        IntPtr context = Linux.seccomp_init(filter.DefaultAction);
        if (context == IntPtr.Zero)
            throw new NativeCallException("seccomp_init", null, Errno.EINVAL);
        try
        {
            Linux.CheckSeccomp(Linux.seccomp_attr_set(context, Linux.SCMP_FLTATR_CTL_OPTIMIZE, BinaryTree), "seccomp_attr_set", "SCMP_FLTATR_CTL_OPTIMIZE");
            foreach (string architecture in filter.Architectures)
                AddArchitecture(context, architecture);
            foreach (var (action, rule) in filter.Rules)
                AddRule(context, action, rule);
            return Export(context);
        }
        finally
        {
            Linux.seccomp_release(context);
        }
    }

    /// <summary>
    /// Names the program <see cref="Compile"/> makes: a SHA-256 (hex) of everything that reaches libseccomp (the
    /// default action, architectures and the rules that apply to these capabilities on this kernel) and of
    /// libseccomp's version, which decides the syscall numbers, and of the layout. Equal keys compile to equal programs.
    /// </summary>
    public static string Key(SeccompProfile profile, IEnumerable<string> capabilities)
    {
        // Worked out once per profile and set of capabilities in a process (~0.06 ms of every create otherwise):
        // a profile is immutable, and the kernel and libseccomp do not change under a running process.
        var keys = KeysOf.GetValue(profile, _ => new ConcurrentDictionary<string, string>(StringComparer.Ordinal));
        var held = capabilities.ToList();
        return keys.GetOrAdd(string.Join(',', held), _ => ComputeKey(profile, held));
    }

    private static string ComputeKey(SeccompProfile profile, IEnumerable<string> capabilities)
    {
        var filter = Applicable(profile, capabilities);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"libseccomp {Linux.SeccompVersion} optimize {BinaryTree}\ndefault {filter.DefaultAction}\narch {string.Join(',', filter.Architectures)}\n");
        foreach (var (action, rule) in filter.Rules)
        {
            text.Append(CultureInfo.InvariantCulture, $"{action} {string.Join(',', rule.Names)}");
            foreach (var a in rule.Arguments)
                text.Append(CultureInfo.InvariantCulture, $" {a.Index}:{(int)a.Operator}:{a.Value}:{a.ValueTwo}");
            text.Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>What libseccomp is given for a profile: its default action, architectures and the rules that apply, with their actions.</summary>
    private static (uint DefaultAction, IReadOnlyList<string> Architectures, List<(uint Action, SeccompSyscallRule Rule)> Rules) Applicable(
        SeccompProfile profile, IEnumerable<string> capabilities)
    {
        var held = capabilities.Select(Capabilities.Parse).ToHashSet(StringComparer.Ordinal);
        var conditions = new RuleConditions(held, SeccompArchitecture.NativeGoName, KernelRelease.Current);
        uint defaultAction = ActionValue(profile.DefaultAction, profile.DefaultErrnoRet);
        var rules = profile.Syscalls.Where(conditions.Apply)
            .Select(rule => (Action: ActionValue(rule.Action, rule.ErrnoRet), Rule: rule))
            // libseccomp refuses a rule that repeats the default action; such a rule changes nothing.
            .Where(r => r.Action != defaultAction)
            .ToList();
        return (defaultAction, profile.ArchitecturesForThisMachine(), rules);
    }

    private static void AddArchitecture(IntPtr context, string architecture)
    {
        uint token = Linux.seccomp_arch_resolve_name(SeccompArchitecture.LibseccompName(architecture));
        if (token == 0)
            throw new EngineException("UnsupportedSeccompArchitecture", ErrorKind.InvalidArgument, architecture,
                $"This machine's libseccomp does not know the architecture {architecture}.");
        int result = Linux.seccomp_arch_add(context, token);
        // The native architecture is in every new context already.
        if (result != -Errno.EEXIST)
            Linux.CheckSeccomp(result, "seccomp_arch_add", architecture);
    }

    private static unsafe void AddRule(IntPtr context, uint action, SeccompSyscallRule rule)
    {
        var comparisons = rule.Arguments
            .Select(a => new Linux.ScmpArgCmp { Arg = a.Index, Op = (int)a.Operator, DatumA = a.Value, DatumB = a.ValueTwo })
            .ToArray();
        // libseccomp takes one comparison per argument in a rule: several on the same argument mean "any of
        // them" in Docker's profiles (as runc reads them), so each becomes a rule of its own.
        bool sameArgumentTwice = rule.Arguments.DistinctBy(a => a.Index).Count() != rule.Arguments.Count;
        var groups = sameArgumentTwice ? comparisons.Select(c => new[] { c }).ToArray() : [comparisons];

        foreach (string name in rule.Names)
        {
            int syscall = Linux.seccomp_syscall_resolve_name(name);
            // Profiles list syscalls of every architecture; a name unknown here is skipped, as Docker skips it.
            if (syscall == Linux.NR_SCMP_ERROR)
                continue;
            foreach (var group in groups)
            {
                fixed (Linux.ScmpArgCmp* args = group)
                    Linux.CheckSeccomp(Linux.seccomp_rule_add_array(context, action, syscall, (uint)group.Length, args), "seccomp_rule_add_array", name);
            }
        }
    }

    private static byte[] Export(IntPtr context)
    {
        int fd;
        unsafe
        {
            byte* name = stackalloc byte[] { (byte)'s', (byte)'e', (byte)'c', (byte)'c', (byte)'o', (byte)'m', (byte)'p', 0 };
            fd = Errno.Check(LibC.memfd_create(name, MFD_CLOEXEC), "memfd_create");
        }
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        Linux.CheckSeccomp(Linux.seccomp_export_bpf(context, fd), "seccomp_export_bpf");
        var program = new byte[RandomAccess.GetLength(handle)];
        int read = RandomAccess.Read(handle, program, 0);
        return read == program.Length ? program : throw new IOException($"Read {read} of {program.Length} bytes of the seccomp filter back from its memfd.");
    }

    /// <summary>libseccomp's SCMP_ACT_* value.</summary>
    private static uint ActionValue(SeccompAction action, int? errno) => action switch
    {
        SeccompAction.KillThread => 0x0000_0000,
        SeccompAction.KillProcess => 0x8000_0000,
        SeccompAction.Trap => 0x0003_0000,
        SeccompAction.Errno => 0x0005_0000 | (uint)((errno ?? EPERM) & 0xFFFF),
        SeccompAction.Trace => 0x7FF0_0000 | (uint)((errno ?? 0) & 0xFFFF),
        SeccompAction.Log => 0x7FFC_0000,
        SeccompAction.Allow => 0x7FFF_0000,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>Whether a rule applies to this container on this machine, by its includes and excludes.</summary>
    private sealed record RuleConditions(HashSet<string> Capabilities, string Architecture, Version Kernel)
    {
        public bool Apply(SeccompSyscallRule rule) =>
            rule.Includes.Capabilities.All(Capabilities.Contains)
            && (rule.Includes.Architectures.Count == 0 || rule.Includes.Architectures.Contains(Architecture))
            && (rule.Includes.MinKernel is null || Kernel >= rule.Includes.MinKernel)
            && !rule.Excludes.Capabilities.Any(Capabilities.Contains)
            && !rule.Excludes.Architectures.Contains(Architecture)
            && !(rule.Excludes.MinKernel is not null && Kernel >= rule.Excludes.MinKernel);
    }
}
