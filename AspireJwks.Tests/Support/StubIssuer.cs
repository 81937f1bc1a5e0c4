using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireJwks.Tests.Support;

/// <summary>How the stub answers <c>GET /.well-known/jwks.json</c>.</summary>
public enum IssuerFault
{
    None,
    NeverAnswers,
    DripsItsBody,
    ClosesMidBody,
    AnswersHuge,
    AnswersHugeWithoutLength,
    AnswersGarbage,
    Answers500,
    RefusesConnections,
}

/// <summary>
/// An issuer on a real loopback socket that serves a JWKS, or lies, hangs, drips or breaks off as
/// told: the faults an API must survive from a crashed, frozen, slow or compromised issuer.
/// </summary>
public sealed class StubIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private StubIssuer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>The JWKS served when there is no fault.</summary>
    public string Jwks { get; set; } = "{\"keys\":[]}";

    public IssuerFault Fault { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<StubIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StubIssuer(app);
        app.MapGet("/.well-known/jwks.json", stub.AnswerAsync);
        await app.StartAsync();
        stub.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        return stub;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var response = context.Response;
        var aborted = context.RequestAborted;
        switch (Fault)
        {
            case IssuerFault.None:
                response.ContentType = "application/json";
                await response.WriteAsync(Jwks, aborted);
                break;
            case IssuerFault.NeverAnswers:
                await Task.Delay(Timeout.Infinite, aborted);
                break;
            case IssuerFault.DripsItsBody:
                response.ContentType = "application/json";
                foreach (var character in Jwks)
                {
                    await response.WriteAsync(character.ToString(), aborted);
                    await response.Body.FlushAsync(aborted);
                    await Task.Delay(TimeSpan.FromMilliseconds(200), aborted);
                }
                break;
            case IssuerFault.ClosesMidBody:
                response.ContentType = "application/json";
                response.ContentLength = Jwks.Length;
                await response.WriteAsync(Jwks[..(Jwks.Length / 2)], aborted);
                await response.Body.FlushAsync(aborted);
                context.Abort();
                break;
            case IssuerFault.AnswersHuge:
                response.ContentType = "application/json";
                response.ContentLength = 50_000_000;
                await response.Body.FlushAsync(aborted);
                await WriteFillerAsync(response, 50_000_000, aborted);
                break;
            case IssuerFault.AnswersHugeWithoutLength:
                response.ContentType = "application/json";
                await WriteFillerAsync(response, 50_000_000, aborted);
                break;
            case IssuerFault.AnswersGarbage:
                response.ContentType = "application/json";
                await response.WriteAsync("\u0000<html>not a JWKS {{{", aborted);
                break;
            case IssuerFault.Answers500:
                response.StatusCode = StatusCodes.Status500InternalServerError;
                break;
            case IssuerFault.RefusesConnections:
                context.Abort();
                break;
        }
    }

    private static async Task WriteFillerAsync(HttpResponse response, long length, CancellationToken cancellationToken)
    {
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)' ');
        for (long written = 0; written < length; written += chunk.Length)
        {
            await response.Body.WriteAsync(chunk, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
