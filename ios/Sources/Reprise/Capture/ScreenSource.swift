/// Where the recorder finds the screen: the foreground scenes, the screen's geometry and
/// orientation. `UIApplication` and `UIScreen` in the UIKit files; fakes in the tests.
public protocol ScreenSource: AnyObject {
    var scenes: [any SceneLike] { get }
    /// The screen's size (following the orientation) and scale; the keyboard frame is the recorder's.
    var screenSize: CaptureSize { get }
    var screenScale: Double { get }
    var orientation: Orientation { get }
}
