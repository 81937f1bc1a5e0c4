namespace AspireJwks.Bench.OneTimeJwts;

/// <summary>The command line's <c>--name value</c> pairs; a missing or unknown one is a usage error.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private Arguments()
    {
    }

    public static Arguments Parse(IEnumerable<string> args, params string[] allowed)
    {
        var parsed = new Arguments();
        using var items = args.GetEnumerator();
        while (items.MoveNext())
        {
            var name = items.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !allowed.Contains(name[2..]) || !items.MoveNext())
            {
                throw new UsageException($"unexpected argument '{name}'");
            }
            if (!parsed._values.TryAdd(name[2..], items.Current))
            {
                throw new UsageException($"'{name}' given twice");
            }
        }
        return parsed;
    }

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new UsageException($"--{name} is required");

    public string? Optional(string name) => _values.GetValueOrDefault(name);

    public int Count(string name) =>
        int.TryParse(Required(name), out var count) && count > 0 ? count : throw new UsageException($"--{name} must be a positive integer");
}

internal sealed class UsageException(string message) : Exception(message);
