import Foundation
import RepriseFFI

/// Everything ``Reprise`` needs to start (a value type). Only `dataDirectory` is required; without
/// `endpoint` sessions are recorded and persisted but not uploaded.
public struct RepriseConfiguration {
    /// The app's private directory (e.g. Application Support); the queue lives under `reprise/queue`.
    public var dataDirectory: URL
    /// Collector base URL (HTTPS, except loopback), or nil to record without uploading.
    public var endpoint: String?
    /// The app's API key for `endpoint`.
    public var apiKey: String
    /// Which text is masked on the device. Default: everything (fail closed).
    public var maskMode: MaskMode = .maskAll
    /// Record image content placeholders only (false) or allow images (true).
    public var allowImages: Bool = false
    /// Share of sessions recorded, 0.0 to 1.0.
    public var sampleRate: Double = 1.0
    public var keyframeIntervalMs: UInt64 = 10_000
    public var maxSegmentAgeMs: UInt64 = 60_000
    public var maxQueueBytes: UInt64 = 16 * 1024 * 1024
    public var maxQueueAgeMs: UInt64 = 3 * 24 * 3600 * 1000
    public var uploadConcurrency: UInt32 = 2
    public var initialBackoffMs: UInt64 = 1_000
    public var maxBackoffMs: UInt64 = 300_000
    public var requestTimeoutMs: UInt64 = 30_000
    /// The platform's HTTP stack (e.g. over URLSession); nil uses the core's built-in client.
    public var transport: HttpTransport?
    /// Receives the SDK's own log lines (e.g. to os_log).
    public var logSink: LogSink?

    public init(dataDirectory: URL, endpoint: String? = nil, apiKey: String = "") {
        self.dataDirectory = dataDirectory
        self.endpoint = endpoint
        self.apiKey = apiKey
    }

    var ffiConfig: Config {
        Config(
            dataDir: dataDirectory.path,
            maskMode: maskMode,
            allowImages: allowImages,
            sampleRate: sampleRate,
            keyframeIntervalMs: keyframeIntervalMs,
            maxSegmentAgeMs: maxSegmentAgeMs,
            maxQueueBytes: maxQueueBytes,
            maxQueueAgeMs: maxQueueAgeMs,
            upload: endpoint.map {
                UploadOptions(
                    endpoint: $0, apiKey: apiKey, maxConcurrency: uploadConcurrency,
                    initialBackoffMs: initialBackoffMs, maxBackoffMs: maxBackoffMs, requestTimeoutMs: requestTimeoutMs
                )
            }
        )
    }
}

extension RepriseConfiguration: Sendable {}
