using System.Net;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Anb.FunctionalTests.Infrastructure;
using Anb.Tests.Shared;
using Npgsql;

namespace Anb.FunctionalTests.Videos.LeastPrivilege;

/// <summary>
/// Issue 13, least privilege proven by running the code: moto_server with IAM enforcement on, the real API and
/// worker as processes, each with the credentials of an IAM user that carries exactly its task role's policies
/// from <c>aws/infrastructure.yaml</c>, and connected to PostgreSQL as the application role that the worker's
/// <c>migrate</c> command created (data rights only; the hosts do not migrate). Upload, processing, stale-video
/// recovery, the orphaned-originals sweep's delete, delete and download links all succeed; actions outside a role are denied.
/// moto ignores IAM conditions other than <c>StringEquals</c> and cannot check a signed listing with a prefix, so the
/// worker's list right (prefix <c>originals/</c>) is checked on the template by <c>TemplateTests</c>, not here.
/// </summary>
public sealed class AwsLeastPrivilegeTests : IAsyncLifetime
{
    private const string Region = "us-east-1";
    private const string Account = "123456789012";
    private readonly string bucket = $"anb-iam-{Guid.NewGuid():N}";
    private readonly string queueName = $"anb-iam-{Guid.NewGuid():N}";
    private readonly string role = $"anb_app_{Guid.NewGuid():N}"[..24];
    private readonly string rolePassword = Guid.NewGuid().ToString("N");
    private MotoServer moto = null!;
    private TestDatabase database = null!;
    private IReadOnlyDictionary<string, (AccessKey Key, JsonArray Policies)> users = null!;
    private string queueUrl = string.Empty;

    public async Task InitializeAsync()
    {
        moto = await MotoServer.StartPrivateAsync(new Dictionary<string, string>
        {
            ["INITIAL_NO_AUTH_ACTION_COUNT"] = TaskRoleUsers.UnauthenticatedRequests.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        users = await TaskRoleUsers.CreateAsync(moto.EndpointUrl, $"arn:aws:s3:::{bucket}", $"arn:aws:sqs:{Region}:{Account}:{queueName}");
        using (var s3 = S3(users["admin"].Key))
        {
            await s3.PutBucketAsync(bucket);
        }

        using (var sqs = Sqs(users["admin"].Key))
        {
            queueUrl = (await sqs.CreateQueueAsync(queueName)).QueueUrl;
        }

        database = await TestDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        if (database is not null)
        {
            await database.DisposeAsync();
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS \"{role}\"", connection);
            await drop.ExecuteNonQueryAsync();
        }

        await moto.DisposeAsync();
    }

    [Fact]
    public async Task ApiAndWorker_UnderTheirTaskRolesAndTheApplicationRole_UploadProcessRecoverDeleteAndLink_AndNothingMore()
    {
        // Enforcement is on: unknown keys are refused.
        using (var stranger = S3(new AccessKey("AKIAUNKNOWN000000000", "nope")))
        {
            await Assert.ThrowsAnyAsync<AmazonServiceException>(() => stranger.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }));
        }

        // Migrations and the application role, by the worker image's migrate command with the owner's credentials;
        // twice, as every deployment runs it (the second finds nothing to migrate and resets the role).
        for (var run = 0; run < 2; run++)
        {
            using var migrate = System.Diagnostics.Process.Start(WorkerProcess.StartInfo(
                new Dictionary<string, string?>
                {
                    ["ConnectionStrings__Database"] = database.ConnectionString,
                    ["Database__ApplicationRole"] = role,
                    ["Database__ApplicationRolePassword"] = rolePassword,
                    ["Queue__Provider"] = "Sqs",
                    ["DOTNET_ENVIRONMENT"] = "Production",
                },
                "migrate"))!;
            var migrateOutput = migrate.StandardOutput.ReadToEndAsync();
            var migrateError = migrate.StandardError.ReadToEndAsync();
            await migrate.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(migrate.ExitCode == 0, $"migrate: {migrate.ExitCode}\n{await migrateOutput}\n{await migrateError}");
            Assert.DoesNotContain(rolePassword, await migrateOutput + await migrateError, StringComparison.Ordinal);
        }

        // D: an original whose upload never recorded a row (an API stopped in between). moto 5.2.1 with IAM on rejects
        // the signature of any S3 request whose query holds an escaped character (it checks the decoded URL), such
        // as the sweep's ListObjectsV2 with prefix=originals%2F: the sweep's listing is tested on moto without IAM
        // (S3ObjectStorageTests), its list condition in TemplateTests, and its delete right here with the worker's keys.
        var orphan = $"originals/{Guid.CreateVersion7():N}.mp4";
        using (var admin = S3(users["admin"].Key))
        {
            await admin.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = orphan, ContentBody = "orphan" });
        }

        var applicationConnection = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = rolePassword }.ConnectionString;
        await AssertDataRightsOnlyAsync(applicationConnection);

        await using var api = await ApiHostProcess.StartAsync(Host(users["ApiTaskRole"].Key, applicationConnection, new()
        {
            ["Jwt__SigningKey"] = AnbApiFactory.SigningKey,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        }));
        using var anonymous = api.CreateClient();
        var (client, _) = await anonymous.SignUpAndLogInAsync(api.CreateClient);
        var clip = await VideoFixtures.Mp4Async(1920, 1080, 22);

        // A: uploaded, its message lost (the queue purged) and its upload an hour old: only the sweep can save it.
        var stale = await UploadAsync(client, clip, api);
        using (var sqs = Sqs(users["admin"].Key))
        {
            await sqs.PurgeQueueAsync(queueUrl);
        }

        await database.ExecuteAsync(
            $"UPDATE videos SET uploaded_at = uploaded_at - interval '1 hour', queued_at = queued_at - interval '1 hour' WHERE id = '{stale}'");

        // C: uploaded, then deleted by its player: the API deletes its original (and any processed file).
        var deleted = await UploadAsync(client, clip, api);
        var deletion = await client.DeleteAsync(new Uri($"/api/videos/{deleted}", UriKind.Relative));
        Assert.True(deletion.StatusCode == HttpStatusCode.OK, $"{deletion.StatusCode}: {await deletion.Content.ReadAsStringAsync()}\n{api.Output}");

        // B: uploaded and queued as usual.
        var queued = await UploadAsync(client, clip, api);

        await using var worker = WorkerProcess.Start(Host(users["WorkerTaskRole"].Key, applicationConnection, new()
        {
            ["Transcoder__Preset"] = "ultrafast",
            ["Processing__RecoveryIntervalSeconds"] = "1",
            ["DOTNET_ENVIRONMENT"] = "Production",
        }));

        using var apiS3 = S3(users["ApiTaskRole"].Key);
        foreach (var id in new[] { queued, stale })
        {
            var detail = await WaitForProcessedAsync(client, id, () => $"{worker.Output}\n{api.Output}");
            foreach (var link in new[] { "original_url", "processed_url" })
            {
                await AssertLinkServesAsync(apiS3, new Uri((string)detail[link]!), users["ApiTaskRole"].Key);
            }
        }

        using (var admin = S3(users["admin"].Key))
        {
            // The worker role may delete an original (the orphaned-originals sweep's delete).
            using (var workerS3 = S3(users["WorkerTaskRole"].Key))
            {
                await workerS3.DeleteObjectAsync(bucket, orphan);
            }

            var keys = (await admin.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects?.Select(o => o.Key).Order().ToArray() ?? [];
            Assert.Equal(
                new[]
                {
                    $"originals/{queued:N}.mp4", $"originals/{stale:N}.mp4",
                    $"processed/{queued:N}.jpg", $"processed/{queued:N}.mp4", $"processed/{stale:N}.jpg", $"processed/{stale:N}.mp4",
                }.Order(),
                keys);
        }

        // Neither host migrated (it could not have as this role); the migrate command did.
        Assert.Contains("MigrateAtStartUp is off", api.Output, StringComparison.Ordinal);
        Assert.Contains("MigrateAtStartUp is off", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("AccessDenied", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("AccessDenied", api.Output, StringComparison.Ordinal);

        await AssertOutsideTheRolesIsDeniedAsync(stale);
    }

    private async Task AssertOutsideTheRolesIsDeniedAsync(Guid video)
    {
        using var apiS3 = S3(users["ApiTaskRole"].Key);
        using var workerS3 = S3(users["WorkerTaskRole"].Key);
        using var apiSqs = Sqs(users["ApiTaskRole"].Key);

        // Each role writes only its own prefix; the worker never deletes or reads what it does not need.
        await AssertDeniedAsync(() => apiS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"processed/{video:N}.mp4", ContentBody = "x" }));
        await AssertDeniedAsync(() => workerS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"originals/{video:N}.mp4", ContentBody = "x" }));
        await AssertDeniedAsync(() => workerS3.DeleteObjectAsync(bucket, $"elsewhere/{video:N}.mp4"));
        await AssertDeniedAsync(() => workerS3.DeleteObjectAsync(bucket, $"{video:N}.mp4"));
        await AssertDeniedAsync(() => workerS3.GetObjectAsync(bucket, $"processed/{video:N}.mp4"));
        await AssertDeniedAsync(() => apiS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "elsewhere/x", ContentBody = "x" }));
        await AssertDeniedAsync(() => apiSqs.ReceiveMessageAsync(queueUrl));
        await AssertDeniedAsync(() => apiSqs.PurgeQueueAsync(queueUrl));

        // What the roles do hold still works with the same clients (the denials above are the policies, not the keys).
        using var read = await apiS3.GetObjectAsync(bucket, $"processed/{video:N}.mp4");
        Assert.Equal(HttpStatusCode.OK, read.HttpStatusCode);
    }

    /// <summary>
    /// A presigned link works when its signer may read the object. moto 5.2.1 answers 500 to any presigned
    /// request while IAM is enforced (its S3 IAM check reads an Authorization header such a request lacks), so
    /// the link's signer and key are checked here, and the signer reads that key with the same credentials.
    /// </summary>
    private async Task AssertLinkServesAsync(AmazonS3Client signer, Uri link, AccessKey key)
    {
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        Assert.StartsWith($"{key.Id}/", query["X-Amz-Credential"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(query["X-Amz-Signature"]), link.ToString());
        var path = Uri.UnescapeDataString(link.AbsolutePath).TrimStart('/');
        Assert.StartsWith($"{bucket}/", path, StringComparison.Ordinal);

        using var response = await signer.GetObjectAsync(bucket, path[(bucket.Length + 1)..]);
        using var body = new MemoryStream();
        await response.ResponseStream.CopyToAsync(body);
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(body.ToArray(), 4, 4));
    }

    private static async Task AssertDeniedAsync(Func<Task> action)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(action);
        Assert.True(error.StatusCode == HttpStatusCode.Forbidden, $"{error.StatusCode} {error.ErrorCode}: {error.Message}");
    }

    /// <summary>The role reads and writes rows but cannot change the schema.</summary>
    private async Task AssertDataRightsOnlyAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var read = new NpgsqlCommand("SELECT count(*) FROM videos", connection))
        {
            Assert.Equal(0L, await read.ExecuteScalarAsync());
        }

        foreach (var ddl in new[] { "CREATE TABLE intruder (id int)", "ALTER TABLE videos ADD COLUMN intruder int", "DROP TABLE videos" })
        {
            await using var command = new NpgsqlCommand(ddl, connection);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.True(error.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{ddl}: {error.SqlState} {error.MessageText}");
        }

        Assert.False(await database.ScalarAsync<bool>("SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles WHERE rolname = $1", role));
    }

    private Dictionary<string, string?> Host(AccessKey key, string connectionString, Dictionary<string, string?> extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = key.Id,
            ["AWS_SECRET_ACCESS_KEY"] = key.Secret,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_REGION"] = Region,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["ConnectionStrings__Database"] = connectionString,
            ["Database__MigrateAtStartUp"] = "false",
            ["Storage__Provider"] = "S3",
            ["Storage__S3__BucketName"] = bucket,
            ["Storage__S3__Region"] = Region,
            ["Storage__S3__ServiceUrl"] = moto.EndpointUrl,
            ["Storage__S3__ForcePathStyle"] = "true",
            ["Queue__Provider"] = "Sqs",
            ["Queue__Sqs__QueueUrl"] = queueUrl,
            ["Queue__Sqs__Region"] = Region,
            ["Queue__Sqs__ServiceUrl"] = moto.EndpointUrl,
        };
        foreach (var (name, value) in extra)
        {
            settings[name] = value;
        }

        return settings;
    }

    private static async Task<Guid> UploadAsync(HttpClient client, string clip, ApiHostProcess api)
    {
        var upload = await client.UploadAsync(clip);
        var body = await upload.Content.ReadAsStringAsync();
        Assert.True(upload.StatusCode == HttpStatusCode.Created, $"{upload.StatusCode}: {body}\n{api.Output}");
        return Guid.Parse((string)JsonNode.Parse(body)!["task_id"]!);
    }

    private static async Task<JsonObject> WaitForProcessedAsync(HttpClient client, Guid id, Func<string> logs)
    {
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            var detail = await (await client.GetAsync(new Uri($"/api/videos/{id}", UriKind.Relative))).ReadObjectAsync();
            if ((string?)detail["status"] == "processed")
            {
                return detail;
            }

            Assert.True((string?)detail["status"] != "failed", $"{id} failed: {detail["failure_reason"]}\n{logs()}");
            Assert.True(DateTime.UtcNow < deadline, $"{id} still {(string?)detail["status"]}\n{logs()}");
            await Task.Delay(500);
        }
    }

    private AmazonS3Client S3(AccessKey key) =>
        new(new BasicAWSCredentials(key.Id, key.Secret), new AmazonS3Config { ServiceURL = moto.EndpointUrl, ForcePathStyle = true, AuthenticationRegion = Region });

    private AmazonSQSClient Sqs(AccessKey key) =>
        new(new BasicAWSCredentials(key.Id, key.Secret), new AmazonSQSConfig { ServiceURL = moto.EndpointUrl, AuthenticationRegion = Region });
}
