using AspireJwks.ServiceDefaults.Jose;
using AspireJwks.ServiceDefaults.TokenValidation;

namespace AspireJwks.Tests.Unit.TokenValidation;

public sealed class AccessTokenReaderTests
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
        Assert.Equal(canonical, CompactJws.IsCanonicalBase64Url(segment));
    }
}
