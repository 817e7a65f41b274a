global using Xunit;
global using NeuroCore;
