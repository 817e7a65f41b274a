global using Xunit;
global using NeuroCore.Tests.Infrastructure;
