global using Xunit;
global using NeuroCore.Tests.Infrastructure;
global using NeuroCore.Cli.Tests.Infrastructure;
