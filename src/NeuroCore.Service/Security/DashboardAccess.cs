using Hangfire.Dashboard;

namespace NeuroCore.Service.Security;

/// <summary>The Hangfire dashboard is visible to whoever may read; it is read-only unless the request carries the key.</summary>
public sealed class DashboardAccess(AccessPolicy policy) : IDashboardAuthorizationFilter
{
    /// <inheritdoc />
    public bool Authorize(DashboardContext context) => policy.MayRead(context.GetHttpContext());

    /// <summary>True when the dashboard must not offer writes (delete, requeue) to this request.</summary>
    public bool IsReadOnly(DashboardContext context) => !policy.HasValidKey(context.GetHttpContext());
}
