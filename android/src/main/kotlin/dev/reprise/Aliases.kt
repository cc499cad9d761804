// What apps use of the generated bindings, re-exported under dev.reprise so that an app imports
// dev.reprise.* and nothing generated. The generated packages (dev.reprise.internal.core: the
// core's records and enums; dev.reprise.internal.ffi: the native object, errors, callbacks) are
// internal and never edited by hand: scripts/generate-bindings.sh writes them.
@file:Suppress("unused")

package dev.reprise

/** Everything [Reprise.start] needs: the data directory; every setting left null takes the core's default. */
typealias RepriseConfig = dev.reprise.internal.core.SdkOptions

/** Where and how to upload: endpoint and API key; tuning left null takes the core's default. */
typealias UploadOptions = dev.reprise.internal.core.UploadOptions

typealias MaskMode = dev.reprise.internal.core.MaskMode
typealias SessionMetadata = dev.reprise.internal.core.SessionMetadata
typealias Platform = dev.reprise.internal.core.Platform
typealias Orientation = dev.reprise.internal.core.Orientation
typealias NetworkType = dev.reprise.internal.core.NetworkType
typealias ViewTree = dev.reprise.internal.core.ViewTree
typealias ViewNode = dev.reprise.internal.core.ViewNode
typealias NodeFlags = dev.reprise.internal.core.NodeFlags
typealias NodeKind = dev.reprise.internal.core.NodeKind
typealias PxRect = dev.reprise.internal.core.PxRect
typealias PxInsets = dev.reprise.internal.core.PxInsets
typealias PrivacyOverride = dev.reprise.internal.core.PrivacyOverride
typealias TouchSample = dev.reprise.internal.core.TouchSample
typealias TouchAction = dev.reprise.internal.core.TouchAction
typealias Lifecycle = dev.reprise.internal.core.Lifecycle
typealias LogLevel = dev.reprise.internal.core.LogLevel
typealias NetworkRequest = dev.reprise.internal.core.NetworkRequest
typealias FlushReport = dev.reprise.internal.core.FlushReport

typealias Stats = dev.reprise.internal.ffi.Stats
/** Why a call failed; one subclass per kind below (Kotlin reaches nested classes through no typealias). */
typealias RepriseException = dev.reprise.internal.ffi.RepriseException
typealias ConfigException = dev.reprise.internal.ffi.RepriseException.Config
typealias InvalidSnapshotException = dev.reprise.internal.ffi.RepriseException.InvalidSnapshot
typealias StorageException = dev.reprise.internal.ffi.RepriseException.Storage
typealias StoppedException = dev.reprise.internal.ffi.RepriseException.Stopped
typealias TimeoutException = dev.reprise.internal.ffi.RepriseException.Timeout
typealias TransportException = dev.reprise.internal.ffi.RepriseException.Transport
typealias InternalException = dev.reprise.internal.ffi.RepriseException.Internal
/** Why a view tree could not be read from, or written as, JSON ([viewTreeFromJson], [toJson]). */
typealias ViewTreeJsonException = dev.reprise.internal.ffi.ViewTreeJsonException
typealias HttpTransport = dev.reprise.internal.ffi.HttpTransport
typealias HttpRequest = dev.reprise.internal.ffi.HttpRequest
typealias HttpResponse = dev.reprise.internal.ffi.HttpResponse
typealias HttpHeader = dev.reprise.internal.ffi.HttpHeader
typealias LogSink = dev.reprise.internal.ffi.LogSink
