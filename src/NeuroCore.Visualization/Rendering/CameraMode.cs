using System.Numerics;

namespace NeuroCore.Visualization.Rendering;

/// <summary>How the camera moves during a timelapse.</summary>
public enum CameraMode
{
    /// <summary>
    /// A turntable swing: the camera travels around the network from 55° on one side to 55° on the other and
    /// back over the video, at a fixed elevation (a full revolution would pass edge-on views where the flat
    /// layers collapse into lines).
    /// </summary>
    Orbit,

    /// <summary>A fixed three-quarter view of the whole network.</summary>
    Fixed,
}
