using H2.Hpack;

namespace H2.Benchmarks;

/// <summary>The corpus as --dump-hpack-corpus writes it, decoded in a plain loop like nghttp2-hpack.c's.</summary>
internal sealed class HpackDumpLoop
{
    private readonly List<List<(int? TableSize, byte[] Block)>> _stories = [];
    private readonly List<HeaderField> _fields = new(64);

    private HpackDumpLoop()
    {
    }

    /// <summary>Wire octets decoded by one <see cref="DecodeAll"/>.</summary>
    public long WireOctets { get; private set; }

    /// <summary>Reads a dump: per story the octet 'S', then per case a u32 table size (0xFFFFFFFF: unchanged), a u32 length and the block.</summary>
    public static HpackDumpLoop Load(string path)
    {
        var loop = new HpackDumpLoop();
        byte[] data = File.ReadAllBytes(path);
        List<(int?, byte[])>? story = null;
        for (int at = 0; at < data.Length;)
        {
            if (data[at] == 'S')
            {
                story = [];
                loop._stories.Add(story);
                at++;
                continue;
            }

            uint size = BitConverter.ToUInt32(data, at);
            int length = BitConverter.ToInt32(data, at + 4);
            story!.Add((size == uint.MaxValue ? null : (int)size, data.AsSpan(at + 8, length).ToArray()));
            loop.WireOctets += length;
            at += 8 + length;
        }

        return loop;
    }

    /// <summary>Decodes every story with a fresh decoder; returns the fields decoded.</summary>
    public long DecodeAll()
    {
        long fields = 0;
        foreach (List<(int? TableSize, byte[] Block)> story in _stories)
        {
            var decoder = new HpackDecoder();
            foreach ((int? tableSize, byte[] block) in story)
            {
                if (tableSize is int size)
                {
                    decoder.MaxAllowedTableSize = size;
                }

                _fields.Clear();
                decoder.Decode(block, _fields);
                fields += _fields.Count;
            }
        }

        return fields;
    }
}
