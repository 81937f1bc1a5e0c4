using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AspireJwks.ServiceDefaults;

/// <summary>
/// The last line of defence of every service: an exception that escapes a handler becomes a bare
/// RFC 9457 problem (500) in every environment, or an empty 500 for a caller that accepts no JSON:
/// no stack trace, no exception text. Two hooks give
/// the one answer: an exception handler around the whole pipeline, and, in Development (where the
/// host puts its developer exception page inside that handler, and that page would show the stack
/// trace to the caller), a filter that answers instead of the page.
/// </summary>
internal static class UnhandledExceptions
{
    public static IServiceCollection AddUnhandledExceptionProblems(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddSingleton<IStartupFilter, OutermostExceptionHandler>();
        services.AddSingleton<IDeveloperPageExceptionFilter, ProblemInsteadOfDeveloperPage>();
        return services;
    }

    private static async Task WriteProblemAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        // TryWriteAsync: a caller that accepts no JSON (Accept: text/plain) gets the bare 500,
        // where WriteAsync would throw and the original exception would surface again.
        await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = { Status = StatusCodes.Status500InternalServerError } });
    }

    private sealed class OutermostExceptionHandler : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteProblemAsync });
            next(app);
        };
    }

    private sealed class ProblemInsteadOfDeveloperPage : IDeveloperPageExceptionFilter
    {
        public Task HandleExceptionAsync(ErrorContext errorContext, Func<ErrorContext, Task> next) =>
            WriteProblemAsync(errorContext.HttpContext);
    }
}
