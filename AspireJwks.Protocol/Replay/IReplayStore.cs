namespace AspireJwks.Protocol.Replay;

/// <summary>
/// Where one-time JWTs are entered so that none is accepted twice (RFC 7523 section 3, RFC 9449
/// section 11.1): the store every replica shares, or, for a service given none, its own memory.
/// A caller enters a JWT only after every other check of it passed, so refused JWTs never take a
/// place. Entering is one atomic step: of any number of concurrent uses of one jti, exactly one is
/// <see cref="ReplayVerdict.Fresh"/>, whichever replica each reaches.
/// </summary>
internal interface IReplayStore
{
    ValueTask<ReplayResult> EnterAsync(OneTimeJwt jwt, CancellationToken cancellationToken);
}
