using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AspireJwks.Tests.EndToEnd;
using Aspire.Hosting;

namespace AspireJwks.Tests.Hostile;

/// <summary>
/// No input gets a 5xx: a seeded mutation fuzzer turns a valid token into thousands of malformed
/// ones (segment counts, one-character and non-base64 segments, non-ASCII, truncation,
/// duplication, flipped characters, odd JSON) and sends each, as the Authorization header, to every
/// path of the running API. Seeded, so a failure replays exactly.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class MalformedTokenFuzzTests(AppHostFixture fixture)
{
    private const int Seed = 20261201;
    private const int Variants = 3000;
    private static readonly string[] Paths = ["/protected", "/public", "/health"];

    [Fact]
    public async Task Thousands_of_mutated_tokens_never_get_a_5xx_on_any_api_path()
    {
        var valid = await fixture.GetAccessTokenAsync();
        var random = new Random(Seed);
        var variants = Enumerable.Range(0, Variants).Select(i => (Index: i, Token: Mutate(valid, random), Path: Paths[i % Paths.Length])).ToList();
        // Non-ASCII goes on the wire as UTF-8, as a hostile client would send it (HttpClient refuses it by default).
        using var http = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 })
        {
            BaseAddress = fixture.App.GetEndpoint("api", "http"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        var failures = new ConcurrentBag<string>();

        await Parallel.ForEachAsync(variants, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (variant, cancellationToken) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, variant.Path);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + variant.Token);
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if ((int)response.StatusCode >= 500 || body.Contains("Exception", StringComparison.Ordinal))
            {
                failures.Add($"variant {variant.Index} on {variant.Path}: {(int)response.StatusCode}");
            }
            if (variant.Path == "/protected" && response.StatusCode == HttpStatusCode.OK && variant.Token != valid)
            {
                failures.Add($"variant {variant.Index} was accepted");
            }
        });

        Assert.Empty(failures);
    }

    private static readonly string[] Odd = ["+", "/", "=", "!", " ", "\t", "%00", "é", "€", "😀", "\u00a0", "\\", "\"", ",", ";", "..", "*"];

    /// <summary>One seeded mutation of a compact JWS; also used on DPoP proofs and client assertions.</summary>
    internal static string Mutate(string token, Random random)
    {
        var segments = token.Split('.');
        var segment = random.Next(segments.Length);
        return random.Next(12) switch
        {
            0 => string.Join('.', segments.Where((_, i) => i != segment)),
            1 => string.Join('.', segments.Concat(Enumerable.Repeat(segments[segment], 1 + random.Next(3)))),
            2 => string.Join('.', segments.Select((s, i) => i == segment ? s[random.Next(s.Length)].ToString() : s)),
            3 => Insert(token, Odd[random.Next(Odd.Length)], random),
            4 => token[..random.Next(token.Length)],
            5 => token + (random.Next(2) == 0 ? token : "." + token),
            6 => Flip(token, random),
            7 => string.Join('.', segments.Select((s, i) => i == segment ? Encode(OddJson(random)) : s)),
            8 => new string('.', random.Next(1, 6)),
            9 => string.Join('.', segments.Select((s, i) => i == segment ? s + new string('A', random.Next(1, 4)) : s)),
            10 => token.Replace('-', '+').Replace('_', '/') + "==",
            _ => Insert(Flip(token, random), Odd[random.Next(Odd.Length)], random),
        };
    }

    private static string Insert(string token, string text, Random random) => token.Insert(random.Next(token.Length + 1), text);

    private static string Flip(string token, Random random)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var characters = token.ToCharArray();
        for (var flips = 1 + random.Next(4); flips > 0; flips--)
        {
            var at = random.Next(characters.Length);
            if (characters[at] != '.')
            {
                characters[at] = Alphabet[random.Next(Alphabet.Length)];
            }
        }
        return new string(characters);
    }

    private static readonly string[] OddJsonTexts =
    [
        "null", "[]", "\"text\"", "1e400", "{\"alg\":null}", "{\"alg\":[\"RS256\"]}", "{\"kid\":{\"a\":{\"b\":{\"c\":{\"d\":1}}}}}",
        "{\"exp\":\"9999999999\"}", "{\"exp\":1.5}", "{\"aud\":[]}", "{\"a\":1,\"a\":2}", "{", "\ufeff{}", "{\"iat\":-1}",
        "{\"exp\":99999999999999999999}", "{\"alg\":\"RS256\",\"kid\":\"../../etc/passwd\",\"typ\":\"at+jwt\"}",
    ];

    private static string OddJson(Random random) => OddJsonTexts[random.Next(OddJsonTexts.Length)];

    private static string Encode(string text) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(text));
}
