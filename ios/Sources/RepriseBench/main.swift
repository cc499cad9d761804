// The cost of one FFI call from Swift (docs/PERFORMANCE.md, "FFI from Swift"): a 500-node
// snapshot (records form) and a 32-sample touch batch, through the facade. Median over many
// calls after a warm-up round; each round flushes first so the recorder worker's backlog does not
// pile up. Run by scripts/bench-swift.sh (release build).
import Foundation
import Reprise
import RepriseSamples

let metadata = SessionMetadata(
    platform: .ios, osName: "iOS", osVersion: "17.4", deviceManufacturer: "Apple", deviceModel: "bench",
    screenWidthPx: 1179, screenHeightPx: 2556, density: 3, orientation: .portrait, locale: "en-GB",
    timeZone: "Europe/London", appId: "dev.reprise.bench", appVersion: "1", appBuild: "1", sdkVersion: "0.1.0", network: .wifi
)

func report(_ name: String, _ ns: [UInt64]) {
    let sorted = ns.sorted()
    let median = Double(sorted[sorted.count / 2]) / 1000
    let p90 = Double(sorted[sorted.count * 9 / 10]) / 1000
    print(String(format: "FFI-BENCH %-30@ median %7.1f us   p90 %7.1f us   (%d calls)", name as NSString, median, p90, sorted.count))
}

let rounds = 10, perRound = 500
let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reprise-swift-bench-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: dir) }
let trees = try (0..<32).map { try Samples.feed(500, offset: Float($0) * 7) }
precondition(trees.allSatisfy { $0.nodes.count == 500 })
let t0 = Reprise.nowMs()
let snapshots = try Reprise(RepriseConfiguration(dataDirectory: dir.appendingPathComponent("snapshots")), metadata: metadata, nowMs: t0)
let touches = try Reprise(RepriseConfiguration(dataDirectory: dir.appendingPathComponent("touches")), metadata: metadata, nowMs: t0)
// One long two-finger drag: the pointers go down, then each call hands over a frame of 32 moves.
try touches.touches([
    TouchSample(pointerId: 0, action: .down, x: 300, y: 900, timeUs: t0 * 1000, pressure: 1, size: nil),
    TouchSample(pointerId: 1, action: .pointerDown, x: 500, y: 900, timeUs: t0 * 1000 + 1000, pressure: 1, size: nil),
])
let batches = (0..<(rounds + 1) * perRound).map { Samples.touchBatch(t0 + 16 * Int64($0 + 1)) }

var snapshotTimes: [UInt64] = [], touchTimes: [UInt64] = []
var n = 0
for round in 0...rounds {
    try snapshots.flushBlocking()
    for _ in 0..<perRound {
        let start = DispatchTime.now().uptimeNanoseconds
        try snapshots.snapshot(trees[n % 32], timeMs: t0 + Int64(n) * 16)
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        if round > 0 { snapshotTimes.append(elapsed) }
        n += 1
    }
    for i in 0..<perRound {
        let batch = batches[round * perRound + i]
        let start = DispatchTime.now().uptimeNanoseconds
        try touches.touches(batch)
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        if round > 0 { touchTimes.append(elapsed) }
    }
}
report("500-node snapshot (records)", snapshotTimes)
report("32-sample touch batch", touchTimes)
let stats = snapshots.stats
print("FFI-BENCH snapshots recorded: \(stats.snapshots), dropped (overload): \(stats.droppedOverload)")
try snapshots.close()
try touches.close()

// The platform layer's capture: the portable walker over a 500-view fake UIKit tree, plus the
// snapshot call, as one display-link capture does it on the main thread (measured after the two
// instances above closed, so that their workers do not compete with this one's).
let walker = ViewWalker(registry: ViewReaderRegistry())
let screen = ScreenGeometry(size: CaptureSize(width: 390, height: 844), scale: 3)
let feeds = (0..<32).map { Samples.fakeFeed(500, offset: Double($0) * 7) }
precondition(feeds.allSatisfy { walker.capture([$0], screen: screen).nodes.count == 501 })  // the screen root too
let captures = try Reprise(RepriseConfiguration(dataDirectory: dir.appendingPathComponent("captures")), metadata: metadata, nowMs: t0)
var walkTimes: [UInt64] = [], captureTimes: [UInt64] = []
for round in 0...rounds {
    try captures.flushBlocking()
    for i in 0..<perRound {
        let start = DispatchTime.now().uptimeNanoseconds
        let tree = walker.capture([feeds[i % 32]], screen: screen)
        let walked = DispatchTime.now().uptimeNanoseconds
        try captures.snapshot(tree, timeMs: t0 + Int64(round * perRound + i) * 16)
        let end = DispatchTime.now().uptimeNanoseconds
        if round > 0 { walkTimes.append(walked - start); captureTimes.append(end - start) }
    }
}
report("walk of 500 fake views", walkTimes)
report("walk of 500 views + FFI call", captureTimes)
let captureStats = captures.stats
print("FFI-BENCH captures recorded: \(captureStats.snapshots), dropped (overload): \(captureStats.droppedOverload)")
try captures.close()
