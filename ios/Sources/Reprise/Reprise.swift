import Foundation
import RepriseFFI

/// A running Reprise session recorder. Thread-safe: record from any thread.
///
/// Every failing call throws a ``RepriseError``; nothing crashes the app (a bug inside the SDK
/// is `RepriseError.Internal`). ``close()`` stops recording (what was recorded is flushed to disk
/// and uploaded on the next start); the native object is freed when the last reference goes
/// (`deinit`), which also stops it if ``close()`` was not called.
///
/// ```swift
/// let config = RepriseConfiguration(dataDirectory: dir, upload: UploadOptions(endpoint: url, apiKey: key))
/// let reprise = try Reprise(config, metadata: metadata)
/// try reprise.screenView("Feed")
/// try reprise.snapshot(tree)
/// try reprise.touches(samples)
/// let result = try await reprise.flush()
/// ```
public final class Reprise: @unchecked Sendable {
    // The generated object is itself thread-safe (the Rust side is Sync); the facade holds no
    // other mutable state.
    private let native: RepriseFFI.Reprise
    public let configuration: RepriseConfiguration
    /// The platform layer capturing the app's screen, touches and lifecycle, when started with
    /// ``Reprise/start(_:)`` on a platform that has a screen (UIKit); nil otherwise.
    public internal(set) var screenRecorder: ScreenRecorder?

    /// Starts recording a new session. Settings `configuration` leaves nil take the core's
    /// defaults; `transport` sends uploads with the app's HTTP stack (e.g. over URLSession; nil: the
    /// core's built-in client) and `logSink` receives the SDK's own log lines (e.g. to os_log).
    /// Throws `RepriseError.Config` or `RepriseError.Storage`.
    public init(_ configuration: RepriseConfiguration, metadata: SessionMetadata, nowMs: Int64 = Reprise.nowMs(),
                transport: HttpTransport? = nil, logSink: LogSink? = nil) throws {
        self.configuration = configuration
        self.native = try RepriseFFI.Reprise.start(
            config: configuration, metadata: metadata, nowMs: nowMs, transport: transport, log: logSink
        )
    }

    deinit {
        // Stops the SDK if close() was not called (flushing to disk; a no-op otherwise), then the
        // generated object's deinit frees the native one, releasing the queue's directory lock.
        _ = try? native.stop()
    }

    /// The native library's version.
    public static var nativeVersion: String { RepriseFFI.nativeVersion() }

    /// Milliseconds since the Unix epoch, the clock every `timeMs` argument uses.
    public static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// The current session's id (UUID text).
    public var sessionId: String { native.sessionId() }

    /// Counters of the recorder, queue and uploader.
    public var stats: Stats { native.stats() }

    /// Whether recording is paused.
    public var isPaused: Bool { native.isPaused() }

    /// Stops recording until ``resume()``; record calls return at once meanwhile.
    public func pause() { native.pause() }

    /// Records again after ``pause()``.
    public func resume() { native.resume() }

    /// A batch of raw touch samples (one frame's worth crosses the FFI once).
    public func touches(_ samples: [TouchSample]) throws { try native.recordTouches(samples: samples) }

    /// A view-hierarchy snapshot; masked before this returns.
    public func snapshot(_ tree: ViewTree, timeMs: Int64 = Reprise.nowMs()) throws {
        try native.recordSnapshot(timeMs: timeMs, tree: tree)
    }

    public func screenView(_ name: String, timeMs: Int64 = Reprise.nowMs()) throws {
        try native.recordScreenView(timeMs: timeMs, name: name)
    }

    public func lifecycle(_ lifecycle: Lifecycle, timeMs: Int64 = Reprise.nowMs()) throws {
        try native.recordLifecycle(timeMs: timeMs, lifecycle: lifecycle)
    }

    public func connectivity(_ network: NetworkType, timeMs: Int64 = Reprise.nowMs()) throws {
        try native.recordConnectivity(timeMs: timeMs, network: network)
    }

    public func viewport(widthPx: UInt32, heightPx: UInt32, density: Float, orientation: Orientation,
                         timeMs: Int64 = Reprise.nowMs()) throws {
        try native.recordViewport(timeMs: timeMs, widthPx: widthPx, heightPx: heightPx, density: density, orientation: orientation)
    }

    public func keyboard(visible: Bool, heightPx: Float, timeMs: Int64 = Reprise.nowMs()) throws {
        try native.recordKeyboard(timeMs: timeMs, visible: visible, heightPx: heightPx)
    }

    /// An app-defined event; attribute values may be String, Int, Int64, Double, Float or Bool.
    public func event(_ name: String, _ attributes: KeyValuePairs<String, any RepriseAttribute> = [:],
                      timeMs: Int64 = Reprise.nowMs()) throws {
        try native.recordCustomEvent(
            timeMs: timeMs, name: name,
            attributes: attributes.map { Attribute(key: $0.key, value: $0.value.attributeValue) }
        )
    }

    public func breadcrumb(_ message: String, level: LogLevel = .info, timeMs: Int64 = Reprise.nowMs()) throws {
        try native.recordBreadcrumb(timeMs: timeMs, level: level, message: message)
    }

    public func network(_ request: NetworkRequest, timeMs: Int64 = Reprise.nowMs()) throws {
        try native.recordNetwork(timeMs: timeMs, request: request)
    }

    /// The user of this session, or nil.
    public func setUserId(_ userId: String?) { native.setUserId(userId: userId) }

    public func setAttribute(_ key: String, _ value: any RepriseAttribute) {
        native.setAttribute(key: key, value: value.attributeValue)
    }

    /// Seals and persists what was recorded and starts uploading it. The disk work runs on a
    /// global dispatch queue, never on the caller's thread.
    public func flush() async throws -> FlushReport {
        let native = self.native
        return try await Self.offload { try native.flush() }
    }

    /// Flushes, then waits up to `timeout` seconds for the uploads; returns the segments still queued.
    public func flushAndUpload(timeout: TimeInterval = 10) async throws -> UInt64 {
        let native = self.native
        let ms = UInt64(max(0, timeout) * 1000)
        return try await Self.offload { try native.flushAndUpload(timeoutMs: ms) }
    }

    /// ``flush()`` for callers outside Swift concurrency (blocks: not on the main thread).
    @discardableResult
    public func flushBlocking() throws -> FlushReport { try native.flush() }

    /// Stops recording (flushing to disk). Later record calls throw `RepriseError.Stopped`.
    /// Idempotent. The native object itself is freed in `deinit`.
    @discardableResult
    public func close() throws -> FlushReport {
        defer { Reprise.released(self) }
        return try native.stop()
    }

    private static func offload<T>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}

/// A value an event or user attribute can carry.
public protocol RepriseAttribute {
    var attributeValue: AttributeValue { get }
}

extension String: RepriseAttribute { public var attributeValue: AttributeValue { .text(value: self) } }
extension Int: RepriseAttribute { public var attributeValue: AttributeValue { .int(value: Int64(self)) } }
extension Int64: RepriseAttribute { public var attributeValue: AttributeValue { .int(value: self) } }
extension Double: RepriseAttribute { public var attributeValue: AttributeValue { .float(value: self) } }
extension Float: RepriseAttribute { public var attributeValue: AttributeValue { .float(value: Double(self)) } }
extension Bool: RepriseAttribute { public var attributeValue: AttributeValue { .bool(value: self) } }
extension AttributeValue: RepriseAttribute { public var attributeValue: AttributeValue { self } }

/// Test hook: panics inside the native library and returns the typed error the panic guard makes
/// of it (`RepriseError.Internal`), proving a Rust panic never crashes the app.
func diagnosticPanic(_ message: String) throws { try RepriseFFI.diagnosticPanic(message: message) }
