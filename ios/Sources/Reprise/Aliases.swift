import Foundation
import RepriseFFI

// What apps use of the generated bindings, re-exported so that `import Reprise` is enough and
// nothing generated is imported. The generated module (RepriseFFI: the core's records and enums
// in RepriseCore.swift, the native object, errors and callbacks in RepriseFFI.swift) is internal
// and never edited by hand: scripts/generate-bindings.sh writes it.

/// Everything ``Reprise`` needs to start (a value type): the data directory; every setting left
/// nil takes the core's default.
public typealias RepriseConfiguration = RepriseFFI.SdkOptions
/// Where and how to upload: endpoint and API key; tuning left nil takes the core's default.
public typealias UploadOptions = RepriseFFI.UploadOptions
public typealias MaskMode = RepriseFFI.MaskMode
public typealias SessionMetadata = RepriseFFI.SessionMetadata
public typealias Platform = RepriseFFI.Platform
public typealias Orientation = RepriseFFI.Orientation
public typealias NetworkType = RepriseFFI.NetworkType
public typealias ViewTree = RepriseFFI.ViewTree
public typealias ViewNode = RepriseFFI.ViewNode
public typealias NodeFlags = RepriseFFI.NodeFlags
public typealias NodeKind = RepriseFFI.NodeKind
public typealias PxRect = RepriseFFI.PxRect
public typealias PxInsets = RepriseFFI.PxInsets
public typealias PrivacyOverride = RepriseFFI.PrivacyOverride
public typealias TouchSample = RepriseFFI.TouchSample
public typealias TouchAction = RepriseFFI.TouchAction
public typealias Lifecycle = RepriseFFI.Lifecycle
public typealias LogLevel = RepriseFFI.LogLevel
public typealias NetworkRequest = RepriseFFI.NetworkRequest
public typealias FlushReport = RepriseFFI.FlushReport

public typealias AttributeValue = RepriseFFI.AttributeValue
public typealias Stats = RepriseFFI.Stats
public typealias RepriseError = RepriseFFI.RepriseError
/// Why a view tree could not be read from, or written as, JSON (``ViewTree/init(json:)``).
public typealias ViewTreeJsonError = RepriseFFI.ViewTreeJsonError
public typealias HttpTransport = RepriseFFI.HttpTransport
public typealias HttpRequest = RepriseFFI.HttpRequest
public typealias HttpResponse = RepriseFFI.HttpResponse
public typealias HttpHeader = RepriseFFI.HttpHeader
public typealias LogSink = RepriseFFI.LogSink

extension RepriseConfiguration {
    /// A configuration recording into `dataDirectory` (e.g. Application Support; the queue lives
    /// under `reprise/queue`) and uploading as `upload` says (nil: record and persist only).
    public init(dataDirectory: URL, upload: UploadOptions? = nil) {
        self.init(dataDir: dataDirectory.path, upload: upload)
    }
}
