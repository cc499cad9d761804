// UIKit glue (NOT RUN here): web content is a placeholder, never read.
#if canImport(UIKit) && canImport(WebKit) && !os(watchOS) && !os(tvOS)
import WebKit

extension WKWebView: WebViewLike {}
#endif
