using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using AspireJwks.Bench.OneTimeJwts;

namespace AspireJwks.Bench.Soak;

/// <summary>
/// The kinds that go through the token store: <c>token_dpop</c> issues a DPoP-bound token by
/// <c>private_key_jwt</c> (a new client assertion and a new proof, two jtis entered in the store),
/// and <c>protected_dpop</c> presents the latest such token with a new proof each time (one jti at
/// whichever API replica the request reaches). Each JWT is signed here, just before it is sent.
/// </summary>
internal sealed class DPoPRequests : IDisposable
{
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private readonly SoakOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<string, HttpRequestMessage, Func<HttpResponseMessage, (Outcome, string?)>, CancellationToken, Task> _send;
    private readonly Es256Key _clientKey;
    private readonly Es256Key _proofKey;
    // Es256Key signs with one ECDsa object, which is not meant for concurrent use.
    private readonly Lock _signing = new();
    private readonly ClientAssertion _assertion;
    private readonly string _assertionHeader;
    private readonly DPoPProof _tokenProof;
    private readonly string _proofHeader;
    private volatile BoundToken? _latest;

    public DPoPRequests(SoakOptions options, TimeProvider time, string clientKeyPem,
        Func<string, HttpRequestMessage, Func<HttpResponseMessage, (Outcome, string?)>, CancellationToken, Task> send)
    {
        _options = options;
        _time = time;
        _send = send;
        _clientKey = new Es256Key(clientKeyPem);
        using (var proofKey = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            _proofKey = new Es256Key(proofKey.ExportPkcs8PrivateKeyPem());
        }
        _assertion = new ClientAssertion(options.ClientId, options.Issuer);
        _assertionHeader = OneTimeJwtSigner.EncodedHeader(_assertion, _clientKey);
        _tokenProof = new DPoPProof("POST", new Uri(options.Auth, "/token"), accessToken: null);
        _proofHeader = OneTimeJwtSigner.EncodedHeader(_tokenProof, _proofKey);
    }

    /// <summary>The first bound token, before the load starts.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) => TokenAsync(cancellationToken);

    public async Task TokenAsync(CancellationToken cancellationToken)
    {
        string assertion, proof;
        lock (_signing)
        {
            assertion = OneTimeJwtSigner.Sign(_assertion, _clientKey, _assertionHeader, _time);
            proof = OneTimeJwtSigner.Sign(_tokenProof, _proofKey, _proofHeader, _time);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.Auth, "/token"))
        {
            Content = new FormUrlEncodedContent([
                new("grant_type", "client_credentials"),
                new("scope", SoakRequests.Scope),
                new("client_assertion_type", AssertionType),
                new("client_assertion", assertion),
            ]),
        };
        request.Headers.TryAddWithoutValidation("DPoP", proof);
        await _send(RequestKinds.TokenDPoP, request, response =>
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (Outcome.Failed, $"{(int)response.StatusCode} {Error(response)}");
            }
            using var body = JsonDocument.Parse(response.Content.ReadAsStream(cancellationToken));
            if (!body.RootElement.TryGetProperty("access_token", out var token) || token.GetString() is not { Length: > 0 } accessToken
                || !body.RootElement.TryGetProperty("token_type", out var type) || type.GetString() != "DPoP")
            {
                return (Outcome.Failed, "200 without an access_token of token_type DPoP");
            }
            _latest = new BoundToken(accessToken, new DPoPProof("GET", new Uri(_options.Api, "/protected"), accessToken));
            return (Outcome.Ok, null);
        }, cancellationToken);
    }

    /// <returns>False when no bound token was issued yet (the slot is skipped, not failed).</returns>
    public async Task<bool> ProtectedAsync(CancellationToken cancellationToken)
    {
        if (_latest is not { } token)
        {
            return false;
        }
        string proof;
        lock (_signing)
        {
            proof = OneTimeJwtSigner.Sign(token.Proof, _proofKey, _proofHeader, _time);
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_options.Api, "/protected"));
        request.Headers.Authorization = new AuthenticationHeaderValue("DPoP", token.AccessToken);
        request.Headers.TryAddWithoutValidation("DPoP", proof);
        await _send(RequestKinds.ProtectedDPoP, request, response => response.StatusCode == HttpStatusCode.OK
            ? (Outcome.Ok, null)
            : (Outcome.Failed, $"{(int)response.StatusCode} {response.Headers.WwwAuthenticate}"), cancellationToken);
        return true;
    }

    private static string Error(HttpResponseMessage response)
    {
        try
        {
            using var body = JsonDocument.Parse(response.Content.ReadAsStream());
            return body.RootElement.TryGetProperty("error", out var error) ? error.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    public void Dispose()
    {
        _clientKey.Dispose();
        _proofKey.Dispose();
    }

    // Every proof of one key and method has the same header, so the /token proof's header serves
    // the /protected proofs too (typ, alg and the public key: nothing about the request).
    private sealed record BoundToken(string AccessToken, DPoPProof Proof);
}
