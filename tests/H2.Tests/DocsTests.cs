using System.Text.RegularExpressions;

namespace H2.Tests;

/// <summary>
/// Code listings in docs/ that name a source file must be that file, word for word, so they always
/// compile; the names the documents cite must exist.
/// </summary>
public partial class DocsTests
{
    /// <summary>The guides in docs/ and the packages' READMEs, as paths from the repository root.</summary>
    public static TheoryData<string> Documents() =>
        new(Directory.GetFiles(Path.Combine(RepoRoot(), "docs"), "*.md")
            .Concat(Directory.GetFiles(Path.Combine(RepoRoot(), "src"), "README.md", SearchOption.AllDirectories))
            .Select(path => Path.GetRelativePath(RepoRoot(), path)));

    [Theory]
    [MemberData(nameof(Documents))]
    public void Listings_MatchTheFilesTheyName(string document)
    {
        string root = RepoRoot();
        string text = File.ReadAllText(Path.Combine(root, document)).ReplaceLineEndings("\n");
        foreach (Match listing in Listing().Matches(text))
        {
            string file = Path.Combine(root, listing.Groups["file"].Value);
            Assert.True(File.Exists(file), $"{document} names {listing.Groups["file"].Value}, which does not exist");
            Assert.Equal(File.ReadAllText(file).ReplaceLineEndings("\n").TrimEnd('\n'), listing.Groups["code"].Value);
        }
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryCSharpListing_IsAFileOfTheBuild(string document)
    {
        // A listing that names no file would compile nowhere; each must name one (and match it).
        string text = File.ReadAllText(Path.Combine(RepoRoot(), document)).ReplaceLineEndings("\n");
        Assert.Equal(CSharpBlock().Count(text), Listing().Count(text));
    }

    [Fact]
    public void GettingStarted_HasAllSixSteps()
    {
        string text = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "getting-started.md"));
        Assert.Equal(6, Listing().Count(text.ReplaceLineEndings("\n")));
    }

    [Fact]
    public void SecurityTable_NamesOnlyTestsThatExist()
    {
        // docs/security.md promises a test for each defence; a renamed or deleted test must not leave it promising nothing.
        string root = RepoRoot();
        string text = File.ReadAllText(Path.Combine(root, "docs", "security.md"));
        string tests = string.Concat(Directory.GetFiles(Path.Combine(root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        string[] names = [.. TestName().Matches(text).Select(m => m.Groups["method"].Value).Distinct()];
        Assert.True(names.Length >= 60, $"only {names.Length} test names found in docs/security.md");
        Assert.All(names, name => Assert.Matches($@"(void|Task) {name}\(", tests));
    }

    [Fact]
    public void ApiPage_NamesOnlyTypesAndMembersThatExist()
    {
        // docs/api.md pairs h2's names with ours; a rename must not leave the page naming what is gone.
        // In its tables the first column holds h2's (Python) names; everything else is ours or .NET's.
        string text = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "api.md")).ReplaceLineEndings("\n");
        HashSet<string> known = KnownNames();
        var unknown = new List<string>();
        int checkedNames = 0;
        foreach (string line in text.Split('\n'))
        {
            string ours = line.StartsWith('|') ? string.Join('|', line.Split('|').Skip(2)) : line;
            foreach (Match span in CodeSpan().Matches(ours))
            {
                string code = span.Groups["code"].Value;
                if (code.StartsWith("h2.", StringComparison.Ordinal) || code.StartsWith("hpack.", StringComparison.Ordinal) || code.StartsWith("hyperframe.", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (Match name in DotNetName().Matches(code))
                {
                    checkedNames++;
                    if (!known.Contains(name.Value))
                    {
                        unknown.Add($"{name.Value} (in `{code}`)");
                    }
                }
            }
        }

        Assert.True(checkedNames >= 200, $"only {checkedNames} names found in docs/api.md");
        Assert.Empty(unknown);
    }

    /// <summary>The public types, members, enum values and namespace parts of H2Sharp, and the public types of .NET's own assemblies.</summary>
    private static HashSet<string> KnownNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Type type in typeof(H2Connection).Assembly.GetExportedTypes())
        {
            names.Add(type.Name.Split('`')[0]);
            names.UnionWith(type.Namespace!.Split('.'));
            names.UnionWith(type.GetMembers().Select(m => m.Name));
        }

        foreach (System.Reflection.Assembly assembly in new[] { typeof(object).Assembly, typeof(System.Buffers.IBufferWriter<>).Assembly, typeof(Dictionary<,>).Assembly })
        {
            foreach (Type type in assembly.GetExportedTypes())
            {
                names.Add(type.Name.Split('`')[0]);
                names.UnionWith(type.Namespace?.Split('.') ?? []);
            }
        }

        return names;
    }

    private static string RepoRoot() => Directory.GetParent(TestData.Root)!.Parent!.FullName;

    // `Class.Method` or `Method`, where a method name has an underscore, as our test names do.
    [GeneratedRegex(@"`(?:[A-Z][A-Za-z0-9]*\.)?(?<method>[A-Z][a-z][A-Za-z0-9]*_[A-Za-z0-9_]+)`")]
    private static partial Regex TestName();

    [GeneratedRegex(@"<!-- listing: (?<file>[^ ]+) -->\n```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex Listing();

    [GeneratedRegex(@"`(?<code>[^`\n]+)`")]
    private static partial Regex CodeSpan();

    // A .NET name: starts with a capital and has a lowercase letter (so not GOAWAY or FRAME_SIZE_ERROR).
    [GeneratedRegex(@"(?<![\w-])[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*(?![\w-])")]
    private static partial Regex DotNetName();

    [GeneratedRegex(@"^```csharp$", RegexOptions.Multiline)]
    private static partial Regex CSharpBlock();
}
