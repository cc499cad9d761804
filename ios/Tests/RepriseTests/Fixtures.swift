import Foundation
import XCTest
@testable import Reprise

/// A real Android screen from tests/data/rico, as the core parsed it, with the texts it contains.
struct Screen {
    let id: String
    let name: String
    let tree: ViewTree
    let texts: [String]
}

/// Test data: the RICO screens the Rust side exported (`export-fixtures`, run by
/// scripts/test-swift.sh into the folder `REPRISE_FIXTURES` names), decoded through the real
/// library; device metadata; raw touches; temporary directories.
enum Fixtures {
    /// One screen of the export's `index.json`.
    private struct Entry: Decodable {
        let id: String
        let name: String
        let tree: String
        let texts: [String]
    }

    /// The export's `index.json`.
    private struct Index: Decodable {
        let screens: [Entry]
    }

    /// The export folder: `index.json` and one tree file a screen.
    static func dir() throws -> URL {
        let path = try XCTUnwrap(ProcessInfo.processInfo.environment["REPRISE_FIXTURES"],
                                 "no REPRISE_FIXTURES: run scripts/test-swift.sh (it exports the fixtures)")
        return URL(fileURLWithPath: path)
    }

    /// Every exported screen, most text first (the export's order).
    static func all() throws -> [Screen] {
        let dir = try dir()
        let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: dir.appendingPathComponent("index.json")))
        return try index.screens.map { entry in
            let json = try String(contentsOf: dir.appendingPathComponent(entry.tree), encoding: .utf8)
            return Screen(id: entry.id, name: entry.name, tree: try ViewTree(json: json), texts: entry.texts)
        }
    }

    /// The `count` screens with the most text, for masking checks.
    static func screens(_ count: Int) throws -> [Screen] {
        Array(try all().prefix(count))
    }

    /// The Swift test device: an iPhone 15 running the demo app 2.3.4.
    static func metadata() -> SessionMetadata {
        SessionMetadata(
            platform: .ios, osName: "iOS", osVersion: "17.4", deviceManufacturer: "Apple",
            deviceModel: "iPhone 15 (Swift test)", screenWidthPx: 1179, screenHeightPx: 2556, density: 3,
            orientation: .portrait, locale: "en-GB", timeZone: "Europe/London", appId: "dev.reprise.demo.ios",
            appVersion: "2.3.4", appBuild: "77", sdkVersion: "0.1.0", network: .wifi
        )
    }

    /// One raw sample, full pressure.
    static func sample(_ pointer: UInt32, _ action: TouchAction, _ x: Float, _ y: Float, _ tUs: Int64) -> TouchSample {
        TouchSample(pointerId: pointer, action: action, x: x, y: y, timeUs: tUs, pressure: 1, size: nil)
    }

    /// Frames of 16 ms; each inner array is what one frame hands over.
    static func tap(_ tMs: Int64, _ x: Float, _ y: Float) -> [[TouchSample]] {
        [[sample(0, .down, x, y, tMs * 1000)], [sample(0, .up, x + 1, y, tMs * 1000 + 90_000)]]
    }

    /// A one-finger drag by `dy` px over `frames` frames, easing out.
    static func scroll(_ tMs: Int64, _ x: Float, _ y: Float, dy: Float, frames: Int = 20) -> [[TouchSample]] {
        let t = tMs * 1000
        var out = [[sample(0, .down, x, y, t)]]
        for i in 1...frames {
            let p = Float(i) / Float(frames)
            let eased = 1 - (1 - p) * (1 - p)
            out.append([sample(0, .move, x + 3 * p, y + dy * eased, t + Int64(i) * 16_000)])
        }
        out.append([sample(0, .up, x + 3, y + dy, t + Int64(frames + 1) * 16_000)])
        return out
    }

    /// Two fingers about (`cx`, `cy`) spreading from `from` to `to` px over `frames` frames.
    static func pinch(_ tMs: Int64, _ cx: Float, _ cy: Float, from: Float, to: Float, frames: Int = 25) -> [[TouchSample]] {
        let t = tMs * 1000
        var out = [[sample(0, .down, cx - from / 2, cy, t)], [sample(1, .pointerDown, cx + from / 2, cy, t + 30_000)]]
        var last = from
        for i in 1...frames {
            let span = from + (to - from) * Float(i) / Float(frames)
            let tf = t + 30_000 + Int64(i) * 16_000
            out.append([sample(0, .move, cx - span / 2, cy, tf), sample(1, .move, cx + span / 2, cy, tf + 500)])
            last = span
        }
        let end = t + 30_000 + Int64(frames + 1) * 16_000
        out.append([sample(1, .pointerUp, cx + last / 2, cy, end)])
        out.append([sample(0, .up, cx - last / 2, cy, end + 10_000)])
        return out
    }

    /// A fresh directory under the system temp dir.
    static func tempDir(_ name: String = "reprise-swift") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
