using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AspireJwks.Tests.Hostile;

/// <summary>
/// An issuer that is refused, hung, slow, garbled, huge or hostile never takes the API down: every
/// such refresh is survived, the keys already held keep validating, an unknown kid is still a prompt
/// 401, the outage is logged once, and the API recovers when the issuer does.
/// </summary>
[Collection(IssuerFaultCollection.Name)]
public sealed class IssuerFaultTests(IssuerFaultFixture fixture) : IAsyncLifetime
{
    // Far above a 401 from memory, and no more than a fetch's deadline (the refresh interval): a
    // request that waited on a hung fetch would take at least that long.
    private static readonly TimeSpan PromptAnswer = IssuerFaultFixture.RefreshInterval;
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    // Every test starts with a healthy issuer and no outage under way (an outage is logged once,
    // so a fault met during the previous test's outage would not be logged again).
    public async Task InitializeAsync()
    {
        fixture.Stub.Fault = IssuerFault.None;
        fixture.Stub.Jwks = fixture.TrustedJwks;
        // Two requests started: the first has been answered and accepted before the second began.
        var requests = fixture.Stub.Requests;
        await Eventually.TrueAsync(() => fixture.Stub.Requests >= requests + 2, Within, "the API should refresh from a healthy issuer");
        Assert.Equal(HttpStatusCode.OK, await fixture.StatusAsync(fixture.Tokens.Create()));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<IssuerFault> Faults =>
    [
        IssuerFault.NeverAnswers, IssuerFault.DripsItsBody, IssuerFault.ClosesMidBody, IssuerFault.AnswersHuge,
        IssuerFault.AnswersHugeWithoutLength, IssuerFault.AnswersGarbage, IssuerFault.Answers500, IssuerFault.RefusesConnections,
    ];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task While_the_issuer_fails_the_api_keeps_its_keys_answers_promptly_and_recovers(IssuerFault fault)
    {
        var warnings = fixture.RefreshLines(LogLevel.Warning);
        var recoveries = fixture.RefreshLines(LogLevel.Information);

        fixture.Stub.Fault = fault;
        await Eventually.TrueAsync(() => fixture.RefreshLines(LogLevel.Warning) > warnings, Within, $"a refresh should meet the fault {fault}");

        await AssertStillServingAsync();
        Assert.Equal(HttpStatusCode.OK, await fixture.StatusAsync("", "/health"));
        fixture.Stub.Fault = IssuerFault.None;
        await Eventually.TrueAsync(() => fixture.RefreshLines(LogLevel.Information) > recoveries, Within, "the API should log that the refresh works again");
        Assert.Equal(warnings + 1, fixture.RefreshLines(LogLevel.Warning));
    }

    [Fact]
    public async Task A_long_outage_is_logged_once_and_each_refresh_is_one_bounded_attempt()
    {
        var warnings = fixture.RefreshLines(LogLevel.Warning);
        var requests = fixture.Stub.Requests;
        var outage = Stopwatch.StartNew();

        fixture.Stub.Fault = IssuerFault.NeverAnswers;
        await Task.Delay(5 * IssuerFaultFixture.RefreshInterval);
        await AssertStillServingAsync();

        Assert.Equal(warnings + 1, fixture.RefreshLines(LogLevel.Warning));
        // Each refresh waits at most the interval and is never retried within it: no more than one
        // request per (interval + timeout), unlike a retry chain of several attempts per refresh.
        var attempts = fixture.Stub.Requests - requests;
        var bound = (int)Math.Ceiling(outage.Elapsed / (2 * IssuerFaultFixture.RefreshInterval)) + 2;
        Assert.InRange(attempts, 2, bound);
    }

    public static TheoryData<string> HostileDocuments => ["duplicate kid", "only a weak key", "only a symmetric key", "a private key", "key of another algorithm"];

    [Theory]
    [MemberData(nameof(HostileDocuments))]
    public async Task A_jwks_that_would_weaken_the_api_is_refused_and_the_trusted_keys_stay(string attack)
    {
        var warnings = fixture.RefreshLines(LogLevel.Warning);
        var kid = fixture.Tokens.Kid;
        // Each document is the attacker's, and so is the token: signed with the very key the document
        // publishes, so that only refusing the document stands between it and a 200.
        var forger = fixture.Tokens;
        using var weak = RSA.Create(1024);
        using var stolen = RSA.Create(2048);
        using var curve = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var secret = "secret"u8.ToArray();
        (fixture.Stub.Jwks, var forged) = attack switch
        {
            // The real kid twice, once with the attacker's key: which key a token means would be a guess.
            "duplicate kid" => (JwksDocuments.Set(JwksDocuments.RsaKey(kid, RSA.Create(2048)), JwksDocuments.RsaKey(kid, stolen)),
                Signed(forger, "RS256", input => stolen.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))),
            "only a weak key" => (JwksDocuments.Set(JwksDocuments.RsaKey(kid, weak)),
                Signed(forger, "RS256", input => weak.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))),
            "only a symmetric key" => (JwksDocuments.Set(new JsonObject { ["kty"] = "oct", ["kid"] = kid, ["alg"] = "HS256", ["k"] = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(secret) }),
                Signed(forger, "HS256", input => HMACSHA256.HashData(secret, input))),
            "a private key" => (JwksDocuments.Set(WithPrivateExponent(JwksDocuments.RsaKey(kid, stolen))),
                Signed(forger, "RS256", input => stolen.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))),
            "key of another algorithm" => (JwksDocuments.Set(JwksDocuments.EcKey(kid, curve, alg: "RS256")),
                Signed(forger, "ES256", input => curve.SignData(input, HashAlgorithmName.SHA256))),
            _ => throw new ArgumentOutOfRangeException(nameof(attack), attack, null),
        };

        await Eventually.TrueAsync(() => fixture.RefreshLines(LogLevel.Warning) > warnings, Within, $"the refresh should refuse a JWKS with {attack}");

        Assert.Equal(HttpStatusCode.Unauthorized, await fixture.StatusAsync(forged));
        await AssertStillServingAsync();
    }

    /// <summary>A token of a cached key is still accepted, an unknown kid still refused at once: nothing waits on the issuer.</summary>
    private async Task AssertStillServingAsync()
    {
        Assert.Equal(HttpStatusCode.OK, await TimedStatusAsync(fixture.Tokens.Create()));
        var unknown = fixture.Tokens.Create(header: Header(fixture.Tokens, ForgedTokens.RandomKid()));
        Assert.Equal(HttpStatusCode.Unauthorized, await TimedStatusAsync(unknown));
    }

    private async Task<HttpStatusCode> TimedStatusAsync(string token)
    {
        var elapsed = Stopwatch.StartNew();
        var status = await fixture.StatusAsync(token).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(elapsed.Elapsed < PromptAnswer, $"the API took {elapsed.Elapsed} to answer while the issuer fails");
        return status;
    }

    private static JsonObject Header(TokenFactory tokens, string kid)
    {
        var header = tokens.Header();
        header["kid"] = kid;
        return header;
    }

    /// <summary>A valid token's header (with <paramref name="alg"/>) and claims, signed by <paramref name="sign"/>.</summary>
    private static string Signed(TokenFactory tokens, string alg, Func<byte[], byte[]> sign)
    {
        var header = tokens.Header();
        header["alg"] = alg;
        var input = $"{TokenFactory.Encode(header)}.{TokenFactory.Encode(tokens.Claims())}";
        return $"{input}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(sign(System.Text.Encoding.ASCII.GetBytes(input)))}";
    }

    private static JsonObject WithPrivateExponent(JsonObject key)
    {
        key["d"] = "AQAB";
        return key;
    }
}
