using AspireJwks.Authentication.TokenValidation;
using AspireJwks.Protocol.Jose;

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
    // Longer than one vector of the scan: a stray character anywhere, at its start, middle or end.
    [InlineData("eyJhbGciOiJSUzI1NiIsImtpZCI6ImFiY2RlZmdoaWprbG1ub3AifQ", true)]
    [InlineData("=yJhbGciOiJSUzI1NiIsImtpZCI6ImFiY2RlZmdoaWprbG1ub3AifQ", false)]
    [InlineData("eyJhbGciOiJSUzI1NiIsImtpZCI6I+FiY2RlZmdoaWprbG1ub3AifQ", false)]
    [InlineData("eyJhbGciOiJSUzI1NiIsImtpZCI6ImFiY2RlZmdoaWprbG1ub3AifQ=", false)]
    [InlineData("eyJhbGciOiJSUzI1NiIsImtpZCI6ImFiY2RlZmdoaWprbG1ub3Aif\u0141", false)]
    public void Only_canonical_unpadded_base64url_passes(string segment, bool canonical)
    {
        Assert.Equal(canonical, CompactJws.IsCanonicalBase64Url(segment));
    }
}
