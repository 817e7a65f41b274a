namespace NeuroCore.Service.Uploads;

/// <summary>The body is larger than the upload cap (answered 413).</summary>
public sealed class UploadTooLargeException(long limit)
    : Exception($"the upload is larger than the limit of {limit:N0} bytes.")
{
    /// <summary>The cap in bytes.</summary>
    public long Limit { get; } = limit;
}

/// <summary>The archive is not acceptable: unknown type, unsafe entry, or over a cap (answered 400).</summary>
public sealed class ArchiveRejectedException(string message) : Exception(message);
