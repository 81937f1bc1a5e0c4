using AspireJwks.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var clientId = builder.AddConfiguredParameter("client-id", "demo-client");
var clientSecret = builder.AddParameter("client-secret",
    new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
var tokenRateLimit = builder.AddNonNegativeIntegerParameter("token-rate-limit", defaultValue: 100);
var keysDirectory = builder.AddKeysDirectoryParameter("keys-directory", defaultDirectory: ".keys");
var traceSamplingRatio = builder.AddRatioParameter("trace-sampling-ratio", defaultValue: 1.0);
var keys = KeyParameters.Add(builder);

var bootstrapper = builder.AddProject<Projects.AspireJwks_Bootstrapper>("bootstrapper")
    .WithArgs("init", "--keys-directory", keysDirectory)
    .WithKeyPolicy(keys)
    .WithKeyCommands(keysDirectory, keys);

var auth = builder.AddProject<Projects.AspireJwks_Auth>("auth")
    .WithEndpoint("http", endpoint => endpoint.Port = 3001)
    .WithIssuerSettings(keysDirectory)
    .WithEnvironment("RateLimiting__TokenRequestsPerSecond", tokenRateLimit)
    .WithTokenTimings(keys)
    .WithTraceSampling(traceSamplingRatio)
    .WithHttpHealthCheck("/health")
    .WaitForCompletion(bootstrapper);

var api = builder.AddProject<Projects.AspireJwks_Api>("api")
    .WithEndpoint("http", endpoint => endpoint.Port = 3002)
    .WithReference(auth)
    .WithValidationSettings(auth)
    .WithJwksRefresh(keys)
    .WithTraceSampling(traceSamplingRatio)
    .WithHttpHealthCheck("/health")
    .WaitFor(auth);
TokenIssuerRegistry.RegisterApi(auth, ServiceSettingsExtensions.ApiAudience, [ServiceSettingsExtensions.ReadScope]);

builder.AddProject<Projects.AspireJwks_Client>("client")
    .WithReference(auth)
    .WithReference(api)
    .WithClientCredentials(clientId, clientSecret)
    .WaitFor(api);
TokenIssuerRegistry.RegisterClient(auth, clientId, clientSecret, [ServiceSettingsExtensions.ReadScope]);

builder.Build().Run();
