using AspireJwks.Protocol.Replay;

namespace AspireJwks.Protocol.DPoP;

/// <summary>The DPoP rules (RFC 9449) that Auth, every API and the client handler share, defined once.</summary>
internal static class DPoPProtocol
{
    /// <summary>The request header that carries a proof.</summary>
    public const string HeaderName = "DPoP";

    /// <summary>The header a server sets to hand a client a nonce (RFC 9449 section 8).</summary>
    public const string NonceHeaderName = "DPoP-Nonce";

    /// <summary>The <c>typ</c> of a proof (RFC 9449 section 4.2).</summary>
    public const string ProofType = "dpop+jwt";

    /// <summary>How long after its <c>iat</c> a proof is accepted: proofs are made per request, so one minute covers slow networks and nothing more.</summary>
    public static readonly TimeSpan MaxProofAge = TimeSpan.FromSeconds(60);

    /// <summary>How far ahead of this server's clock a proof's <c>iat</c> may be (a client's clock running fast).</summary>
    public static readonly TimeSpan MaxClockAhead = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A proof's jti is remembered this long: it can be accepted until <c>iat</c> + <see cref="MaxProofAge"/>,
    /// and its <c>iat</c> may be up to <see cref="MaxClockAhead"/> ahead of now.
    /// </summary>
    public static readonly TimeSpan ReplayRetention = MaxProofAge + MaxClockAhead;

    /// <summary>DPoP proofs as the replay store keeps them; after a store restart, a proof from about then must carry the store's nonce.</summary>
    public static readonly OneTimeJwtKind ProofKind = new("dpop", ReplayRetention, ReplayCapacity, NonceWindow: MaxClockAhead);

    /// <summary>Proof jtis one process holds at most (about 32 bytes each): two retentions of about 14,000 proofs a second.</summary>
    public const int ReplayCapacity = 2_000_000;

    /// <summary>A proof with an RSA-4096 key is under 2 KB; the limit leaves room and stays far below Kestrel's header limit.</summary>
    public const int MaxProofLength = 8192;

    /// <summary>The algorithms a proof may be signed with: the asymmetric ones this system uses everywhere.</summary>
    public static IReadOnlyCollection<string> SigningAlgorithms => AccessTokenProtocol.SigningAlgorithms;

    /// <summary>The <c>algs</c> of a DPoP challenge (RFC 9449 section 7.1), in a stable order.</summary>
    public static readonly string AlgorithmList = string.Join(' ', AccessTokenProtocol.SigningAlgorithms.Order(StringComparer.Ordinal));
}

/// <summary>Why a proof was refused, as one fixed word for telemetry (never the proof itself).</summary>
internal static class DPoPProofReasons
{
    public const string Missing = "dpop_missing";
    public const string Malformed = "dpop_malformed";
    public const string AlgNotAllowed = "dpop_alg_not_allowed";
    public const string BadKey = "dpop_bad_key";
    public const string BadSignature = "dpop_bad_signature";
    public const string WrongMethod = "dpop_wrong_method";
    public const string WrongUrl = "dpop_wrong_url";
    public const string WrongToken = "dpop_wrong_token";
    public const string WrongKey = "dpop_wrong_key";
    public const string Stale = "dpop_stale";
    public const string Replayed = "dpop_replayed";
    public const string ReplayCacheFull = "dpop_replay_cache_full";

    /// <summary>The server asks for its nonce in the proof (RFC 9449 section 8): <c>use_dpop_nonce</c>.</summary>
    public const string NonceRequired = "dpop_nonce_required";

    /// <summary>The replay store did not answer in time: 503, never a let-through.</summary>
    public const string StoreUnavailable = "dpop_store_unavailable";
}
