/// A network path as `NWPathMonitor` reports it (`NWPath`), without the Network framework.
public struct NetworkPath: Equatable, Sendable {
    /// `NWPath.Status`.
    public enum Status: Equatable, Sendable { case satisfied, unsatisfied, requiresConnection }
    /// `NWInterface.InterfaceType`.
    public enum Interface: Equatable, Sendable { case wifi, cellular, wiredEthernet, loopback, other }

    public var status: Status
    /// `availableInterfaces`, the preferred (used) one first.
    public var interfaces: [Interface]
    public init(status: Status, interfaces: [Interface]) { self.status = status; self.interfaces = interfaces }

    /// The core's connectivity: offline unless satisfied, then the interface the path uses
    /// (loopback does not count; none known: unknown).
    public var networkType: NetworkType {
        guard status == .satisfied else { return .offline }
        switch interfaces.first(where: { $0 != .loopback }) {
        case .wifi: return .wifi
        case .cellular: return .cellular
        case .wiredEthernet: return .ethernet
        case .other: return .other
        case .loopback, nil: return .unknown
        }
    }
}
