using System.Text.RegularExpressions;

namespace H2.Tests;

/// <summary>Code listings in docs/ that name a source file must be that file, word for word, so they always compile.</summary>
public partial class DocsTests
{
    public static TheoryData<string> Documents() =>
        new(Directory.GetFiles(Path.Combine(RepoRoot(), "docs"), "*.md").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Documents))]
    public void Listings_MatchTheFilesTheyName(string document)
    {
        string root = RepoRoot();
        string text = File.ReadAllText(Path.Combine(root, "docs", document)).ReplaceLineEndings("\n");
        foreach (Match listing in Listing().Matches(text))
        {
            string file = Path.Combine(root, listing.Groups["file"].Value);
            Assert.True(File.Exists(file), $"{document} names {listing.Groups["file"].Value}, which does not exist");
            Assert.Equal(File.ReadAllText(file).ReplaceLineEndings("\n").TrimEnd('\n'), listing.Groups["code"].Value);
        }
    }

    [Fact]
    public void GettingStarted_HasAllSixSteps()
    {
        string text = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "getting-started.md"));
        Assert.Equal(6, Listing().Count(text.ReplaceLineEndings("\n")));
    }

    private static string RepoRoot() => Directory.GetParent(TestData.Root)!.Parent!.FullName;

    [GeneratedRegex(@"<!-- listing: (?<file>[^ ]+) -->\n```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex Listing();
}
