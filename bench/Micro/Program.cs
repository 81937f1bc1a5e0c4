using BenchmarkDotNet.Running;

// Arguments go to BenchmarkDotNet: e.g. --filter '*Validate*', --job short.
BenchmarkSwitcher.FromAssembly(typeof(AspireJwks.Bench.Micro.JwksBenchmarks).Assembly).Run(args);
