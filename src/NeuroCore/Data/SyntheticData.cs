namespace NeuroCore.Data;

/// <summary>Seeded 2-D toy datasets (float32 inputs [N, 2], int64 class targets [N]).</summary>
public static class SyntheticData
{
    /// <summary>Interleaved spiral arms, one class per arm (the classic CS231n spiral).</summary>
    public static TensorDataset Spiral(int pointsPerClass = 100, int classes = 3, float noise = 0.2f, int seed = 0) =>
        throw new NotImplementedException("Spiral");

    /// <summary>Two interleaving half circles (scikit-learn's make_moons).</summary>
    public static TensorDataset Moons(int count = 200, float noise = 0.1f, int seed = 0) =>
        throw new NotImplementedException("Moons");

    /// <summary>A small circle inside a large one (scikit-learn's make_circles).</summary>
    public static TensorDataset Circles(int count = 200, float noise = 0.05f, float factor = 0.5f, int seed = 0) =>
        throw new NotImplementedException("Circles");

    /// <summary>Points in the four quadrants labelled by the sign of x·y (XOR).</summary>
    public static TensorDataset Xor(int count = 200, float noise = 0.1f, int seed = 0) =>
        throw new NotImplementedException("Xor");

    /// <summary>Isotropic Gaussian blobs around <paramref name="centers"/> random centres.</summary>
    public static TensorDataset Blobs(int count = 200, int centers = 3, float std = 1f, int seed = 0) =>
        throw new NotImplementedException("Blobs");
}
