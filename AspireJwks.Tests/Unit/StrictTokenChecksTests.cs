using AspireJwks.Api.Authentication;

namespace AspireJwks.Tests.Unit;

public sealed class StrictTokenChecksTests
{
    [Theory]
    [InlineData("eyJhbGciOiJSUzI1NiJ9", true)]
    [InlineData("AQAB", true)]
    [InlineData("AQ", true)]
    [InlineData("AR", false)] // spare bits set: same byte as "AQ", another spelling
    [InlineData("AQA", true)]
    [InlineData("AQB", false)]
    [InlineData("AQ==", false)]
    [InlineData("A", false)]
    [InlineData("", false)]
    [InlineData("a+b/", false)]
    [InlineData("ab cd", false)]
    [InlineData("ab\ncd", false)]
    [InlineData("abçd", false)]
    public void Only_canonical_unpadded_base64url_passes(string segment, bool canonical)
    {
        Assert.Equal(canonical, StrictTokenChecks.IsCanonicalBase64Url(segment));
    }
}
