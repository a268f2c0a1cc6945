//! Every request counted by method, route pattern and status, with its latency, and a span
//! that names the route. Two small tower layers written out by hand rather than with
//! `axum::middleware::from_fn`, which clones the inner service and boxes a `Next` for every
//! request: these forward the call and wrap the future, nothing more (costs in the #27 note).
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Instant;

use axum::extract::MatchedPath;
use http::{Method, Request, Response};
use pin_project_lite::pin_project;
use tower::{Layer, Service};
use tracing::instrument::Instrumented;
use tracing::Instrument;

use crate::telemetry;

/// The outermost layer: starts the clock and, when the answer is ready, records it under the
/// route that `TagRouteLayer` put on the response. Paths that matched no route share one
/// label, so a scan of random URLs cannot grow the metrics.
#[derive(Clone, Copy, Default)]
pub struct CountRequestsLayer;

impl<S> Layer<S> for CountRequestsLayer {
    type Service = CountRequests<S>;
    fn layer(&self, inner: S) -> Self::Service {
        CountRequests { inner }
    }
}

#[derive(Clone)]
pub struct CountRequests<S> {
    inner: S,
}

impl<S, B, R> Service<Request<B>> for CountRequests<S>
where
    S: Service<Request<B>, Response = Response<R>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Counted<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        Counted { method: method_label(req.method()), started: Instant::now(), inner: self.inner.call(req) }
    }
}

pin_project! {
    pub struct Counted<F> {
        #[pin]
        inner: F,
        method: &'static str,
        started: Instant,
    }
}

impl<F, R, E> Future for Counted<F>
where
    F: Future<Output = Result<Response<R>, E>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let out = ready!(this.inner.poll(cx));
        if let Ok(res) = &out {
            let route = res.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str);
            telemetry::http_request(this.method, route, res.status().as_u16(), this.started.elapsed());
        }
        Poll::Ready(out)
    }
}

/// Layered on each router's routes (`route_layer`), where axum knows the matched pattern: the
/// request's span (so a server function's and a query's logs say which route they served), and
/// the pattern carried out on the response for `CountRequests`.
#[derive(Clone, Copy, Default)]
pub struct TagRouteLayer;

impl<S> Layer<S> for TagRouteLayer {
    type Service = TagRoute<S>;
    fn layer(&self, inner: S) -> Self::Service {
        TagRoute { inner }
    }
}

#[derive(Clone)]
pub struct TagRoute<S> {
    inner: S,
}

impl<S, B, R> Service<Request<B>> for TagRoute<S>
where
    S: Service<Request<B>, Response = Response<R>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Tagged<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        let matched = req.extensions().get::<MatchedPath>().cloned();
        let route = matched.as_ref().map_or("unmatched", MatchedPath::as_str);
        let span = tracing::info_span!("request", method = %req.method(), route);
        Tagged { inner: self.inner.call(req).instrument(span), matched }
    }
}

pin_project! {
    pub struct Tagged<F> {
        #[pin]
        inner: Instrumented<F>,
        matched: Option<MatchedPath>,
    }
}

impl<F, R, E> Future for Tagged<F>
where
    F: Future<Output = Result<Response<R>, E>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut out = ready!(this.inner.poll(cx));
        if let (Ok(res), Some(path)) = (&mut out, this.matched.take()) {
            res.extensions_mut().insert(path);
        }
        Poll::Ready(out)
    }
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        _ => "OTHER",
    }
}
