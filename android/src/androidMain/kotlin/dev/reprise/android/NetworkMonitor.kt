package dev.reprise.android

import android.content.Context
import android.net.ConnectivityManager
import android.net.Network
import android.net.NetworkCapabilities
import dev.reprise.NetworkType

/**
 * The network type now and its changes, from `ConnectivityManager`'s default-network callback.
 * Needs ACCESS_NETWORK_STATE (in the SDK's manifest); when refused, the type stays UNKNOWN.
 */
internal class NetworkMonitor(context: Context, private val onChange: (NetworkType) -> Unit) {
    private val manager = context.getSystemService(Context.CONNECTIVITY_SERVICE) as? ConnectivityManager
    private var last: NetworkType? = null
    private val callback = object : ConnectivityManager.NetworkCallback() {
        override fun onCapabilitiesChanged(network: Network, capabilities: NetworkCapabilities) = report(typeOf(capabilities))
        override fun onLost(network: Network) = report(NetworkType.OFFLINE)
    }

    /** The current type (UNKNOWN when it cannot be read). */
    fun current(): NetworkType = try {
        val m = manager ?: return NetworkType.UNKNOWN
        val network = m.activeNetwork ?: return NetworkType.OFFLINE
        m.getNetworkCapabilities(network)?.let(::typeOf) ?: NetworkType.UNKNOWN
    } catch (e: RuntimeException) {
        NetworkType.UNKNOWN
    }

    fun start() {
        last = current()
        try {
            manager?.registerDefaultNetworkCallback(callback)
        } catch (e: RuntimeException) {
            // SecurityException without the permission, or too many callbacks: no changes seen.
        }
    }

    fun stop() {
        try {
            manager?.unregisterNetworkCallback(callback)
        } catch (e: RuntimeException) {
        }
    }

    private fun report(type: NetworkType) {
        if (type == last) return
        last = type
        try {
            onChange(type)
        } catch (e: Throwable) {
        }
    }

    private fun typeOf(c: NetworkCapabilities): NetworkType = when {
        c.hasTransport(NetworkCapabilities.TRANSPORT_WIFI) -> NetworkType.WIFI
        c.hasTransport(NetworkCapabilities.TRANSPORT_CELLULAR) -> NetworkType.CELLULAR
        c.hasTransport(NetworkCapabilities.TRANSPORT_ETHERNET) -> NetworkType.ETHERNET
        else -> NetworkType.UNKNOWN
    }
}
