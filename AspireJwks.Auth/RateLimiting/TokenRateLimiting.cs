using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AspireJwks.Auth.RateLimiting;

/// <summary>
/// Rate limiting of <c>POST /token</c> with ASP.NET Core's middleware: per remote address in front
/// of the endpoint, per client inside it (<see cref="ClientRateLimiter"/>), 429 with Retry-After.
/// </summary>
public static class TokenRateLimiting
{
    public const string PerAddressPolicy = "token-per-address";

    public static IHostApplicationBuilder AddTokenRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<TokenRateLimitOptions, TokenRateLimitOptionsValidator>(TokenRateLimitOptions.SectionName);
        builder.Services.AddSingleton<ClientRateLimiter>();

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PerAddressPolicy, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<TokenRateLimitOptions>>().Value;
                var address = AddressKey(context.Connection.RemoteIpAddress);
                return settings.Enabled
                    ? RateLimitPartition.GetTokenBucketLimiter(address, _ => TokenBuckets.PerSecond(settings.TokenRequestsPerSecond))
                    : RateLimitPartition.GetNoLimiter(address);
            });
            limiter.OnRejected = (rejected, _) =>
            {
                TokenBuckets.WriteRejection(rejected.HttpContext.Response, rejected.Lease);
                return ValueTask.CompletedTask;
            };
        });
        return builder;
    }

    /// <summary>
    /// One partition per IPv4 address and per IPv6 /64: a single IPv6 host usually holds a whole
    /// /64, and one partition per address would let it rotate through them.
    /// </summary>
    internal static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
