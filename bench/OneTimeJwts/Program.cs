// bench/run's source of one-time JWTs: before each load of /token with private_key_jwt or of a
// DPoP-protected request, it writes as many as the load can send, one per line, which a wrk
// script then sends one per request (bench/wrk/one-time.lua). See docs/performance.md.
using System.Diagnostics;
using AspireJwks.Bench.OneTimeJwts;

const string Usage = """
    usage:
      OneTimeJwts assertion --key <PKCS#8 PEM file> --client-id <id> --audience <issuer> --count <n> --out <file or ->
      OneTimeJwts proof --key <PKCS#8 PEM file> --method <method> --url <url> [--access-token-file <file>] --count <n> --out <file or ->
    """;

try
{
    if (args.Length == 0)
    {
        throw new UsageException("a kind (assertion or proof) is required");
    }
    var (kind, options) = args[0] switch
    {
        "assertion" => Assertion(Arguments.Parse(args.Skip(1), "key", "client-id", "audience", "count", "out")),
        "proof" => Proof(Arguments.Parse(args.Skip(1), "key", "method", "url", "access-token-file", "count", "out")),
        _ => throw new UsageException($"unknown kind '{args[0]}'"),
    };
    var count = options.Count("count");
    var target = options.Required("out");
    var pem = File.ReadAllText(options.Required("key"));
    var clock = Stopwatch.StartNew();
    using (var output = target == "-" ? Console.OpenStandardOutput() : File.Create(target))
    {
        OneTimeJwtFile.Write(kind, pem, count, output, TimeProvider.System);
    }
    if (target != "-")
    {
        Console.Error.WriteLine($"wrote {count} {args[0]}s to {target} in {clock.Elapsed.TotalSeconds:F1} s");
    }
    return 0;
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"OneTimeJwts: {ex.Message}\n{Usage}");
    return 2;
}

static (IOneTimeJwt, Arguments) Assertion(Arguments options) =>
    (new ClientAssertion(options.Required("client-id"), options.Required("audience")), options);

static (IOneTimeJwt, Arguments) Proof(Arguments options)
{
    if (!Uri.TryCreate(options.Required("url"), UriKind.Absolute, out var url))
    {
        throw new UsageException("--url must be an absolute URL");
    }
    // From a file, not the command line, where every process on the machine could read it.
    var token = options.Optional("access-token-file") is { } file ? File.ReadAllText(file).Trim() : null;
    return (new DPoPProof(options.Required("method"), url, token), options);
}
