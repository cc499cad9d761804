// Synthetic inputs shared by the tests and the benchmark: a feed-like view tree of any size and a
// frame's batch of raw touch samples.
import Reprise

/// Synthetic trees and touches for tests and benchmarks.
public enum Samples {
    /// A synthetic tree of `count` nodes: a feed of rows with text, image and button.
    public static func feed(_ count: Int, offset: Float = 0) -> ViewTree {
        let classes = ["android.widget.FrameLayout", "android.widget.LinearLayout", "android.widget.TextView",
                       "android.widget.ImageView", "android.widget.Button"]
        var nodes: [ViewNode] = []
        nodes.reserveCapacity(count)
        func node(_ id: Int, _ parent: Int?, _ kind: NodeKind, _ cls: UInt32, _ l: Float, _ t: Float, _ w: Float, _ h: Float, _ text: String?) -> ViewNode {
            ViewNode(identity: UInt64(id) + 1000, parent: parent.map { UInt32($0) }, kind: kind, classIndex: cls,
                     bounds: PxRect(left: l, top: t, width: w, height: h),
                     flags: NodeFlags(clickable: kind == .button, scrollable: kind == .scroll, focusable: false, enabled: true,
                                      visible: true, clipsChildren: false, password: false),
                     alpha: 1,
                     backgroundColor: kind == .container ? 0xffffffff : nil, textColor: text != nil ? 0xff222222 : nil,
                     cornerRadius: 0, fontSize: text != nil ? 42 : 0, text: text, contentDescription: nil,
                     scrollX: 0, scrollY: offset, privacy: .inherit)
        }
        nodes.append(node(0, nil, .scroll, 0, 0, 0, 1080, 2400, nil))
        var row = 0
        while nodes.count < count {
            let top = Float(row) * 240 - offset
            let rowIndex = nodes.count
            nodes.append(node(rowIndex, 0, .container, 1, 0, top, 1080, 240, nil))
            if nodes.count < count { nodes.append(node(nodes.count, rowIndex, .text, 2, 200, top + 20, 700, 60, "Row \(row) title text")) }
            if nodes.count < count { nodes.append(node(nodes.count, rowIndex, .image, 3, 20, top + 20, 160, 160, nil)) }
            if nodes.count < count { nodes.append(node(nodes.count, rowIndex, .button, 4, 900, top + 20, 160, 80, "Buy")) }
            row += 1
        }
        return ViewTree(classes: classes, nodes: nodes)
    }

    /// One frame's batch: 32 raw move samples of two pointers, 0.5 ms apart, starting at `tMs`.
    public static func touchBatch(_ tMs: Int64) -> [TouchSample] {
        (0..<32).map { i in
            TouchSample(pointerId: UInt32(i % 2), action: .move, x: 300 + Float(i), y: 900 + 2 * Float(i),
                        timeUs: tMs * 1000 + Int64(i) * 500, pressure: 1, size: nil)
        }
    }
}
