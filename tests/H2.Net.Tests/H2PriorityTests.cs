namespace H2.Net.Tests;

/// <summary>RFC 9218 §4's priority field: parsed leniently, written back as the shortest value.</summary>
public class H2PriorityTests
{
    [Theory]
    [InlineData(null, 3, false)]
    [InlineData("", 3, false)]
    [InlineData("u=0", 0, false)]
    [InlineData("u=7, i", 7, true)]
    [InlineData("i", 3, true)]
    [InlineData("i=?1, u=2", 2, true)]
    [InlineData("u=5, i=?0", 5, false)]
    [InlineData("u=8", 3, false)]
    [InlineData("u=-1", 3, false)]
    [InlineData("u=two", 3, false)]
    [InlineData("u=1;ext=2, x=1", 1, false)]
    [InlineData(",,u=4,", 4, false)]
    public void Parse_ReadsUrgencyAndIncremental_AndIgnoresWhatItDoesNotKnow(string? value, int urgency, bool incremental)
    {
        Assert.Equal(new H2Priority(urgency, incremental), H2Priority.Parse(value));
    }

    [Fact]
    public void ToString_IsTheFieldValue_EmptyForTheDefault()
    {
        Assert.Equal("", H2Priority.Default.ToString());
        Assert.Equal("u=0", new H2Priority(0).ToString());
        Assert.Equal("u=6, i", new H2Priority(6, Incremental: true).ToString());
    }
}
