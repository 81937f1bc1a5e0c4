using System.Globalization;

namespace AspireJwks.Bench.Soak;

/// <summary>
/// The command line of the load, as bench/soak passes it: where to send, for how long, how fast,
/// and where the per-window counters go. The client secret and key come from the environment
/// (SOAK_CLIENT_SECRET, SOAK_CLIENT_KEY), so they never show in a process list.
/// </summary>
internal sealed record SoakOptions(
    Uri Auth,
    Uri Api,
    string Issuer,
    string Audience,
    string ClientId,
    string ClientSecret,
    string ClientKey,
    DateTimeOffset Start,
    TimeSpan Duration,
    TimeSpan Window,
    IReadOnlyDictionary<string, double> Rates,
    string WindowsFile,
    string FailuresFile)
{
    /// <summary>Requests per second of each kind, a few hundred in all: an endurance rate that leaves the system's CPU to the system.</summary>
    public static readonly IReadOnlyDictionary<string, double> DefaultRates = new Dictionary<string, double>
    {
        [RequestKinds.Token] = 10,
        [RequestKinds.ProtectedReused] = 150,
        [RequestKinds.ProtectedFresh] = 10,
        [RequestKinds.Invalid] = 20,
        [RequestKinds.Jwks] = 5,
        [RequestKinds.JwksNotModified] = 25,
        [RequestKinds.TokenDPoP] = 2,
        [RequestKinds.ProtectedDPoP] = 20,
    };

    public static SoakOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' pairs; got '{args[i]}'.");
            }
            values[args[i][2..]] = args[i + 1];
        }
        string Required(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

        var rates = new Dictionary<string, double>(DefaultRates);
        if (values.TryGetValue("rates", out var rateList))
        {
            // kind=rate,kind=rate: the kinds not named keep their default.
            foreach (var pair in rateList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = pair.Split('=');
                if (parts.Length != 2 || !rates.ContainsKey(parts[0]) || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate < 0)
                {
                    throw new ArgumentException($"--rates: '{pair}' is not kind=requests-per-second with kind one of {string.Join(", ", rates.Keys)}.");
                }
                rates[parts[0]] = rate;
            }
        }
        var secret = Environment.GetEnvironmentVariable("SOAK_CLIENT_SECRET");
        if (string.IsNullOrEmpty(secret))
        {
            throw new ArgumentException("Set SOAK_CLIENT_SECRET to the client's secret.");
        }
        // The client's private_key_jwt key (PKCS#8 PEM), also from the environment.
        var key = Environment.GetEnvironmentVariable("SOAK_CLIENT_KEY");
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("Set SOAK_CLIENT_KEY to the client's private key (PKCS#8 PEM).");
        }
        return new SoakOptions(
            Auth: new Uri(Required("auth")),
            Api: new Uri(Required("api")),
            Issuer: Required("issuer"),
            Audience: Required("audience"),
            ClientId: Required("client-id"),
            ClientSecret: secret,
            ClientKey: key,
            Start: DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(Required("start-unix-ms"), CultureInfo.InvariantCulture)),
            Duration: TimeSpan.FromSeconds(double.Parse(Required("duration-seconds"), CultureInfo.InvariantCulture)),
            Window: TimeSpan.FromSeconds(double.Parse(Required("window-seconds"), CultureInfo.InvariantCulture)),
            Rates: rates,
            WindowsFile: Required("windows-file"),
            FailuresFile: Required("failures-file"));
    }
}

/// <summary>The kinds of request, as they appear in the counters.</summary>
internal static class RequestKinds
{
    public const string Token = "token";
    public const string ProtectedReused = "protected_reused";
    public const string ProtectedFresh = "protected_fresh";
    public const string Invalid = "invalid";
    public const string Jwks = "jwks";
    public const string JwksNotModified = "jwks_304";
    public const string TokenDPoP = "token_dpop";
    public const string ProtectedDPoP = "protected_dpop";
}
