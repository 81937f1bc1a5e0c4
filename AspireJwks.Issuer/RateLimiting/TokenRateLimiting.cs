
namespace AspireJwks.Issuer.RateLimiting;

/// <summary>
/// Rate limiting of <c>POST /token</c> with ASP.NET Core's middleware: per remote address in front
/// of the endpoint (<see cref="AddressPartitions"/>), per client inside it
/// (<see cref="ClientRateLimiter"/>), 429 with Retry-After.
/// </summary>
internal static class TokenRateLimiting
{
    public const string PerAddressPolicy = "token-per-address";

    public static IHostApplicationBuilder AddTokenRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<TokenRateLimitOptions, TokenRateLimitOptionsValidator>(TokenRateLimitOptions.SectionName);
        builder.Services.AddSingleton<ClientRateLimiter>();
        builder.Services.AddSingleton<AddressPartitions>();
        builder.Services.AddHostedService<SharedPartitionKeyLoader>();

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PerAddressPolicy, context =>
                context.RequestServices.GetRequiredService<AddressPartitions>().For(context.Connection.RemoteIpAddress));
            limiter.OnRejected = (rejected, _) =>
            {
                TokenBuckets.WriteRejection(rejected.HttpContext.Response, TokenBuckets.RetryAfter(rejected.Lease));
                return ValueTask.CompletedTask;
            };
        });
        return builder;
    }
}
