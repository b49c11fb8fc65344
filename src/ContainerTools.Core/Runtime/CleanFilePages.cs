using ContainerTools.Core.Native;
using Tmds.Linux;

namespace ContainerTools.Core.Runtime;

/// <summary>
/// Lets go of this process's resident pages that are unmodified copies of its files: the code, constants and
/// untouched data of ctmon, libc and the rest. The page cache keeps them, so dropping them loses nothing and a
/// later touch maps them again; the kernel would drop them only under memory pressure, and until then they count
/// in the process's resident set. A settled monitor waits for weeks in a loop that touches a few of them.
/// A page this process wrote (relocated at load, or changed since) is its own copy, and stays.
/// </summary>
public static class CleanFilePages
{
    /// <summary>
    /// Must run while no other thread of the process writes memory: a page written between its check and its drop
    /// would lose that write. Allocates nothing managed (each new object would be a new resident page).
    /// </summary>
    public static unsafe void Release()
    {
        const int MaxMappings = 256;
        var mappings = stackalloc (nuint Start, nuint End)[MaxMappings];
        int count = FileMappings(new Span<(nuint, nuint)>(mappings, MaxMappings));
        int pagemap = Errno.Check(Linux.openat(Linux.AT_FDCWD, Pagemap, Linux.O_RDONLY | Linux.O_CLOEXEC, 0), "open", Pagemap);
        try
        {
            for (int i = 0; i < count; i++)
                DropCleanPages(pagemap, mappings[i].Start, mappings[i].End);
        }
        finally
        {
            Linux.close(pagemap);
        }
    }

    private const string Maps = "/proc/self/maps";
    private const string Pagemap = "/proc/self/pagemap";
    private const int PageSize = 4096;

    /// <summary>Pagemap entry bits: the page is present; it is a page of a file (or shared), not an anonymous copy.</summary>
    private const ulong Present = 1UL << 63, FilePage = 1UL << 61;

    /// <summary>Drops each run of present file pages in [start, end), read from pagemap a chunk of entries at a time.</summary>
    private static unsafe void DropCleanPages(int pagemap, nuint start, nuint end)
    {
        const int Chunk = 512;
        ulong* entries = stackalloc ulong[Chunk];
        nuint run = 0, page = start;
        while (page < end)
        {
            int pages = (int)Math.Min((ulong)Chunk, (ulong)(end - page) / PageSize);
            nint read = (nint)LibC.pread(pagemap, entries, (size_t)(pages * sizeof(ulong)), (off_t)(long)(page / PageSize * sizeof(ulong)));
            if (read < 0)
                throw new NativeCallException("pread", Pagemap, Errno.Last);
            if (read == 0)
                break;
            for (int i = 0; i < (int)read / sizeof(ulong); i++, page += PageSize)
            {
                bool clean = (entries[i] & (Present | FilePage)) == (Present | FilePage);
                if (clean && run == 0)
                    run = page;
                else if (!clean && run != 0)
                {
                    Drop(run, page);
                    run = 0;
                }
            }
        }
        if (run != 0)
            Drop(run, page);
    }

    private static unsafe void Drop(nuint start, nuint end) =>
        Errno.Check(LibC.madvise((void*)start, (size_t)(end - start), LibC.MADV_DONTNEED), "madvise", Pagemap);

    /// <summary>The private file mappings in /proc/self/maps ("start-end perms offset dev inode [path]"); returns how many.</summary>
    private static unsafe int FileMappings(Span<(nuint Start, nuint End)> into)
    {
        int count = 0;
        int fd = Errno.Check(Linux.openat(Linux.AT_FDCWD, Maps, Linux.O_RDONLY | Linux.O_CLOEXEC, 0), "open", Maps);
        try
        {
            const int Size = 4096;
            byte* buffer = stackalloc byte[Size];
            int held = 0;
            nint read;
            while ((read = Linux.read(fd, buffer + held, (nuint)(Size - held))) != 0)
            {
                if (read < 0)
                    throw new NativeCallException("read", Maps, Errno.Last);
                held += (int)read;
                var text = new ReadOnlySpan<byte>(buffer, held);
                int end;
                while ((end = text.IndexOf((byte)'\n')) >= 0)
                {
                    if (count < into.Length && PrivateFileMapping(text[..end]) is { } mapping)
                        into[count++] = mapping;
                    text = text[(end + 1)..];
                }
                // A line cut by the buffer's end moves to its start and is completed by the next read.
                text.CopyTo(new Span<byte>(buffer, text.Length));
                held = text.Length;
            }
        }
        finally
        {
            Linux.close(fd);
        }
        return count;
    }

    private static (nuint, nuint)? PrivateFileMapping(ReadOnlySpan<byte> line)
    {
        int dash = line.IndexOf((byte)'-');
        int space = line.IndexOf((byte)' ');
        // After the permissions: offset, device, then the inode (0 for an anonymous mapping).
        var rest = line[(space + 6)..];
        for (int field = 0; field < 2; field++)
            rest = rest[(rest.IndexOf((byte)' ') + 1)..];
        int inodeEnd = rest.IndexOf((byte)' ');
        bool file = !(inodeEnd < 0 ? rest : rest[..inodeEnd]).SequenceEqual("0"u8);
        return file && line[space + 4] == (byte)'p' ? (Hex(line[..dash]), Hex(line[(dash + 1)..space])) : null;
    }

    private static nuint Hex(ReadOnlySpan<byte> digits) =>
        nuint.Parse(digits, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture);
}
