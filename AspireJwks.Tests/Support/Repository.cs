namespace AspireJwks.Tests.Support;

/// <summary>The repository the tests were built from.</summary>
public static class Repository
{
    /// <summary>The folder that holds <c>AspireJwks.sln</c>, above the tests' output folder.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AspireJwks.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("The tests run outside the repository: AspireJwks.sln was not found above them.");
    }
}
