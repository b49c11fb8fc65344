using System.Management.Automation;
using ContainerTools.Tests.Support;

namespace ContainerTools.Tests.Containers;

/// <summary>-AddHost, -Dns, -DnsSearch and -DnsOption, as docker run's --add-host and --dns flags, seen from inside.</summary>
public sealed class HostsAndResolverTests : BusyboxSessionTest
{
    [Fact]
    public void ExtraHostsAndResolverSettingsAreTheContainersAndKeptOverARestart()
    {
        // There was no way to give them: the hosts file had only the container itself, resolv.conf only the host's.
        Ps.Run("New-Container busybox -Name resolved -Network none -AddHost 'db:10.1.2.3','v6=fd00::1' -Dns 10.0.0.53,'fd00::53' " +
            "-DnsSearch example.com,corp.test -DnsOption ndots:2 -Start -- sleep 300");
        for (int start = 0; start < 2; start++)
        {
            string hosts = ExecIn("resolved", "cat /etc/hosts");
            Assert.Contains("10.1.2.3\tdb\n", hosts + "\n");
            Assert.Contains("fd00::1\tv6\n", hosts + "\n");
            var resolver = ExecIn("resolved", "cat /etc/resolv.conf").Split('\n');
            Assert.Equal(["nameserver 10.0.0.53", "nameserver fd00::53"], resolver.Where(l => l.StartsWith("nameserver", StringComparison.Ordinal)));
            Assert.Equal(["search example.com corp.test"], resolver.Where(l => l.StartsWith("search", StringComparison.Ordinal) || l.StartsWith("domain", StringComparison.Ordinal)));
            Assert.Equal(["options ndots:2"], resolver.Where(l => l.StartsWith("options", StringComparison.Ordinal)));
            Ps.Run("Restart-Container resolved -Timeout 0");
        }
        // The object says so too (it did not: Get-Container showed none of them).
        var shown = Ps.Run("Get-Container resolved").Single();
        Assert.Equal(["db:10.1.2.3", "v6:fd00::1"], (IEnumerable<string>)shown.Properties["ExtraHosts"].Value);
        Assert.Equal(["10.0.0.53", "fd00::53"], (IEnumerable<string>)shown.Properties["Dns"].Value);
        Assert.Equal(["example.com", "corp.test"], (IEnumerable<string>)shown.Properties["DnsSearch"].Value);
        Assert.Equal(["ndots:2"], (IEnumerable<string>)shown.Properties["DnsOptions"].Value);
    }

    [Fact]
    public void WithoutThemTheHostsResolverIsKeptAndADotSearchDropsItsDomains()
    {
        var host = File.ReadAllLines("/etc/resolv.conf").Where(l => !l.StartsWith("nameserver 127.", StringComparison.Ordinal)).ToList();
        var plain = Ps.Run("Invoke-ContainerImage busybox -Network none -Remove -- cat /etc/resolv.conf").Select(o => o.ToString()).ToList();
        Assert.Equal(host, plain);
        var noSearch = Ps.Run("Invoke-ContainerImage busybox -Network none -Remove -DnsSearch . -- cat /etc/resolv.conf").Select(o => o.ToString()).ToList();
        Assert.Equal(host.Where(l => !l.StartsWith("search", StringComparison.Ordinal) && !l.StartsWith("domain", StringComparison.Ordinal)), noSearch);
    }

    [Theory]
    [InlineData("-AddHost db", "InvalidAddHost", "db")]
    [InlineData("-AddHost db:10.1.2", "InvalidAddHost", "db:10.1.2")]
    [InlineData("-AddHost 'bad name:10.1.2.3'", "InvalidAddHost", "bad name:10.1.2.3")]
    [InlineData("-Dns dns.example", "InvalidDnsServer", "dns.example")]
    [InlineData("-DnsSearch 'a b'", "InvalidDnsSearch", "a b")]
    [InlineData("-DnsOption \"ndots:1`nnameserver 1.2.3.4\"", "InvalidDnsOption", "ndots:1\nnameserver 1.2.3.4")]
    public void ABadValueIsAnErrorRecordAndNoContainerIsMade(string parameter, string errorId, string target)
    {
        foreach (string command in new[] { "New-Container", "Invoke-ContainerImage -Remove" })
        {
            var error = Ps.Invoke($"{command} busybox -Network none {parameter} -- true").AllErrors.Single();
            Assert.StartsWith(errorId, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(target, error.TargetObject);
        }
        Assert.Empty(Ps.Run("Get-Container"));
    }
}
