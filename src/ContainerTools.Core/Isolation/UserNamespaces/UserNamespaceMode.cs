namespace ContainerTools.Core.Isolation.UserNamespaces;

/// <summary>-UserNamespace: the host's (container root is host root, the default) or a slice of delegated ids of its own.</summary>
public enum UserNamespaceMode
{
    Host,
    Auto,
}
