namespace NeuroCore.Visualization;
