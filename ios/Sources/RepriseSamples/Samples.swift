// Synthetic inputs shared by the tests and the benchmark: a feed-like view tree of any size (from
// the Rust fixtures' export) and a frame's batch of raw touch samples.
import Foundation
import Reprise

/// Synthetic trees and touches for tests and benchmarks.
public enum Samples {
    /// The fixture export is missing or does not hold what is asked.
    public struct ExportError: Error, CustomStringConvertible {
        /// What is missing.
        public let description: String
    }

    /// The part of the export's `index.json` read here.
    private struct Index: Decodable {
        struct Feeds: Decodable { let rows: String }
        let feeds: Feeds
    }

    /// The synthetic rows the Rust fixtures export (the kit's `nodes::rows`, 500 nodes): a scroll
    /// root, then rows of a container with a title, an image and a "Buy" button. Read from the
    /// folder `REPRISE_FIXTURES` names (scripts/test-swift.sh and scripts/bench-swift.sh run
    /// `export-fixtures` into it) and decoded by the core, so no field is mirrored here.
    public static func rows() throws -> ViewTree {
        guard let path = ProcessInfo.processInfo.environment["REPRISE_FIXTURES"] else {
            throw ExportError(description: "no REPRISE_FIXTURES: run scripts/test-swift.sh or scripts/bench-swift.sh")
        }
        let dir = URL(fileURLWithPath: path)
        let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: dir.appendingPathComponent("index.json")))
        return try ViewTree(json: String(contentsOf: dir.appendingPathComponent(index.feeds.rows), encoding: .utf8))
    }

    /// A synthetic tree of `count` nodes (a prefix of ``rows()``), scrolled by `offset` px: every
    /// node but the root moves up and takes `scrollY = offset`.
    public static func feed(_ count: Int, offset: Float = 0) throws -> ViewTree {
        var tree = try rows()
        guard count <= tree.nodes.count else {
            throw ExportError(description: "the export has \(tree.nodes.count) rows nodes, not \(count)")
        }
        tree.nodes = tree.nodes.prefix(count).enumerated().map { i, node in
            var node = node
            if i > 0 { node.bounds.top -= offset }
            node.scrollY = offset
            return node
        }
        return tree
    }

    /// One frame's batch: 32 raw move samples of two pointers, 0.5 ms apart, starting at `tMs`.
    public static func touchBatch(_ tMs: Int64) -> [TouchSample] {
        (0..<32).map { i in
            TouchSample(pointerId: UInt32(i % 2), action: .move, x: 300 + Float(i), y: 900 + 2 * Float(i),
                        timeUs: tMs * 1000 + Int64(i) * 500, pressure: 1, size: nil)
        }
    }
}
