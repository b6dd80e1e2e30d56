using System.Text.RegularExpressions;
using Anb.BrowserTests.Infrastructure;
using Anb.Tests.Shared;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Anb.BrowserTests;

/// <summary>
/// Sign-up, log-in, upload and my videos in Chromium, against the API without a worker (so uploads stay
/// queued until a test moves them on in the database): the flows and their error paths.
/// </summary>
public sealed class AccountAndUploadTests(WebStack stack) : IClassFixture<WebStack>
{
    private const string ScriptTitle = "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\">Triple";

    [Fact]
    public async Task SignUp_ThenLogIn_OpensMyVideosWithASessionForThisTabOnly()
    {
        await using var tab = await stack.OpenAsync("#/signup");
        var email = $"ana-{Guid.NewGuid():N}@example.com";
        await FillSignUpAsync(tab.Page, email, ApiClient.Password);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Crear cuenta" }).ClickAsync();

        await Expect(tab.Page).ToHaveURLAsync(new Regex("#/login$"));
        await Expect(tab.Page.Locator("#flash")).ToHaveTextAsync("Cuenta creada. Ya puedes entrar.");
        await tab.Page.GetByLabel("Email").FillAsync(email);
        await tab.Page.GetByLabel("Contraseña").FillAsync(ApiClient.Password);
        await tab.Page.Keyboard.PressAsync("Enter");

        await Expect(tab.Heading).ToHaveTextAsync("Mis videos");
        await Expect(tab.Main).ToContainTextAsync("Aún no has subido videos.");
        await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Salir" })).ToBeVisibleAsync();
        Assert.NotNull(await tab.Page.EvaluateAsync<string?>("sessionStorage.getItem('anb.session')"));
        Assert.Null(await tab.Page.EvaluateAsync<string?>("localStorage.getItem('anb.session')"));
        Assert.Empty(await tab.Page.Context.CookiesAsync());
        tab.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task SignUp_DuplicateEmailAndShortPassword_ShowTheApisDetailNextToTheField()
    {
        var (email, _) = await stack.Api.SignUpAsync("Luis", "Pérez", "Cali");
        await using var tab = await stack.OpenAsync("#/signup");

        await FillSignUpAsync(tab.Page, email, ApiClient.Password);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Crear cuenta" }).ClickAsync();
        await Expect(tab.Page.Locator("#f-email-err")).ToHaveTextAsync("El email ya está registrado.");
        await Expect(tab.Page.GetByLabel("Email")).ToHaveAttributeAsync("aria-invalid", "true");

        await FillSignUpAsync(tab.Page, $"x-{Guid.NewGuid():N}@example.com", "corta");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Crear cuenta" }).ClickAsync();
        await Expect(tab.Page.Locator("#f-password1-err")).ToHaveTextAsync("La contraseña debe tener al menos 8 caracteres.");
        await Expect(tab.Page.Locator("#f-email-err")).ToBeEmptyAsync();
    }

    [Fact]
    public async Task LogIn_WrongPassword_ShowsTheApisDetailNextToThePassword()
    {
        var (email, _) = await stack.Api.SignUpAsync("Marta", "Ríos", "Medellín");
        await using var tab = await stack.OpenAsync("#/login");

        await tab.Page.GetByLabel("Email").FillAsync(email);
        await tab.Page.GetByLabel("Contraseña").FillAsync("not-the-password");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();

        await Expect(tab.Page.Locator("#f-password-err")).ToHaveTextAsync("Credenciales inválidas.");
        await Expect(tab.Heading).ToHaveTextAsync("Entrar");
        Assert.Null(await tab.Page.EvaluateAsync<string?>("sessionStorage.getItem('anb.session')"));
    }

    [Fact]
    public async Task Upload_ShowsByteProgress_ThenMyVideosListsTheTitleAsText()
    {
        var token = await stack.Api.PlayerAsync("Sara", "Gil", "Cali");
        await using var tab = await stack.OpenAsync("#/upload", token);
        await tab.Page.EvaluateAsync(
            """
            () => {
              window.__progress = [];
              const bar = document.querySelector('progress[aria-label="Progreso de la subida"]');
              new MutationObserver(() => window.__progress.push(Number(bar.getAttribute('value'))))
                .observe(bar, { attributes: true, attributeFilter: ['value'] });
            }
            """);

        await tab.UploadAsync(ScriptTitle, await VideoFixtures.Mp4Async(1920, 1080, 21));

        await Expect(tab.Heading).ToHaveTextAsync("Mis videos");
        await Expect(tab.Page.Locator("#flash")).ToHaveTextAsync("Video subido correctamente. Procesamiento en curso.");
        Assert.Equal(100, (await tab.Page.EvaluateAsync<int[]>("window.__progress")).Max());
        var item = tab.Page.Locator(".item").Filter(new() { HasText = "Triple" });
        await Expect(item.Locator("h2")).ToHaveTextAsync(ScriptTitle);
        await Expect(item.Locator(".state")).ToHaveTextAsync("En cola");
        await Expect(item.Locator("progress")).ToBeVisibleAsync();
        Assert.Equal(0, await tab.Main.Locator("img, script").CountAsync());
        Assert.Null(await tab.Page.EvaluateAsync<int?>("window.__xss"));
        tab.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Upload_TooShortClip_IsRefusedInTheBrowserWithoutSendingIt()
    {
        var token = await stack.Api.PlayerAsync("Iván", "Mora", "Cali");
        await using var tab = await stack.OpenAsync("#/upload", token);
        var uploads = 0;
        tab.Page.Request += (_, request) => uploads += request.Url.EndsWith("/api/videos/upload", StringComparison.Ordinal) ? 1 : 0;

        await tab.UploadAsync("Corto", await VideoFixtures.Mp4Async(1920, 1080, 5));

        await Expect(tab.Page.Locator("#f-video_file-err")).ToHaveTextAsync("La duración del video debe estar entre 20 y 60 segundos.");
        await Expect(tab.Page.GetByLabel("Video (MP4)")).ToBeFocusedAsync();
        Assert.Equal(0, uploads);
    }

    [Fact]
    public async Task Upload_ServerRefusal_IsTheFinalWordNextToTheFile()
    {
        var token = await stack.Api.PlayerAsync("Olga", "Paz", "Cali");
        await using var tab = await stack.OpenAsync("#/upload", token);

        await tab.UploadAsync("En 720p", await VideoFixtures.Mp4Async(1280, 720, 21));

        await Expect(tab.Page.Locator("#f-video_file-err")).ToHaveTextAsync("La resolución mínima del video es 1080p.");
        await Expect(tab.Heading).ToHaveTextAsync("Subir un video");
    }

    [Fact]
    public async Task Upload_TooManyRequests_ShowsTheDetailAndWhenToRetry()
    {
        var token = await stack.Api.PlayerAsync("Rosa", "Vega", "Cali");
        await using var tab = await stack.OpenAsync("#/upload", token);
        await tab.Page.RouteAsync("**/api/videos/upload", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 429,
            ContentType = "application/problem+json",
            Headers = new Dictionary<string, string> { ["Retry-After"] = "7" },
            Body = """{"status":429,"detail":"Demasiadas solicitudes. Intenta de nuevo más tarde."}""",
        }));

        await tab.UploadAsync("Otra", await VideoFixtures.Mp4Async(1920, 1080, 21));

        await Expect(tab.Page.Locator("[data-form-err]"))
            .ToHaveTextAsync("Demasiadas solicitudes. Intenta de nuevo más tarde. Puedes reintentar en 7 s.");
    }

    [Fact]
    public async Task MyVideos_Delete_RemovesAVideoThatIsNotPublicYet()
    {
        var token = await stack.Api.PlayerAsync("Juan", "Ruiz", "Cali");
        await stack.Api.UploadAsync(token, await VideoFixtures.Mp4Async(1920, 1080, 21), "Para borrar");
        await using var tab = await stack.OpenAsync("#/mine", token);
        tab.Page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        var item = tab.Page.Locator(".item").Filter(new() { HasText = "Para borrar" });
        await item.GetByRole(AriaRole.Button, new() { Name = "Eliminar" }).ClickAsync();

        await Expect(item).ToHaveCountAsync(0);
        await tab.Page.ReloadAsync();
        await Expect(tab.Main).ToContainTextAsync("Aún no has subido videos.");
    }

    [Fact]
    public async Task MyVideos_FollowsProcessingLiveAndShowsTheFailureReason()
    {
        var token = await stack.Api.PlayerAsync("Eva", "Soto", "Cali");
        var id = await stack.Api.UploadAsync(token, await VideoFixtures.Mp4Async(1920, 1080, 21), "En proceso");
        await using var tab = await stack.OpenAsync("#/mine", token);
        var item = tab.Page.Locator(".item").Filter(new() { HasText = "En proceso" });
        await Expect(item.Locator(".state")).ToHaveTextAsync("En cola");

        await stack.Database.ExecuteAsync($"UPDATE videos SET status = 'processing', progress = 40 WHERE id = '{id}'");
        await Expect(item.Locator(".state")).ToHaveTextAsync("Procesando");
        await Expect(item.Locator("progress")).ToHaveAttributeAsync("value", "40");
        await Expect(item.Locator(".percent")).ToHaveTextAsync("40 %");

        await stack.Database.ExecuteAsync($"UPDATE videos SET progress = 75 WHERE id = '{id}'");
        await Expect(item.Locator(".percent")).ToHaveTextAsync("75 %");

        await stack.Database.ExecuteAsync(
            $"UPDATE videos SET status = 'failed', failure_reason = 'El procesamiento no terminó a tiempo.' WHERE id = '{id}'");
        await Expect(item.Locator(".state")).ToHaveTextAsync("Falló");
        await Expect(item).ToContainTextAsync("Motivo: El procesamiento no terminó a tiempo.");
        await Expect(item.Locator("progress")).ToBeHiddenAsync();
        await Expect(item.GetByRole(AriaRole.Button, new() { Name = "Eliminar" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task MyVideos_Downloads_LinkTheOriginal()
    {
        var token = await stack.Api.PlayerAsync("Ada", "Luna", "Cali");
        await stack.Api.UploadAsync(token, await VideoFixtures.Mp4Async(1920, 1080, 21), "Con descarga");
        await using var tab = await stack.OpenAsync("#/mine", token);
        var item = tab.Page.Locator(".item").Filter(new() { HasText = "Con descarga" });

        await item.GetByText("Descargas").ClickAsync();
        var original = item.GetByRole(AriaRole.Link, new() { Name = "Original" });
        await Expect(original).ToHaveAttributeAsync("href", new Regex("^" + Regex.Escape(stack.BaseUrl) + "/files/"));

        var response = await tab.Page.APIRequest.GetAsync((await original.GetAttributeAsync("href"))!);
        Assert.Equal(200, response.Status);
        Assert.Equal(new FileInfo(await VideoFixtures.Mp4Async(1920, 1080, 21)).Length, (await response.BodyAsync()).Length);
    }

    [Fact]
    public async Task AnInvalidToken_IsDroppedAndTheLogInAsked()
    {
        await using var tab = await stack.OpenAsync("#/mine", token: "not.a.valid-token");

        await Expect(tab.Heading).ToHaveTextAsync("Entrar");
        await Expect(tab.Page.Locator("#flash")).ToHaveTextAsync("Tu sesión terminó. Inicia sesión de nuevo.");
        Assert.Null(await tab.Page.EvaluateAsync<string?>("sessionStorage.getItem('anb.session')"));
        await Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Entrar" })).ToBeVisibleAsync();
    }

    private static async Task FillSignUpAsync(IPage page, string email, string password)
    {
        await page.GetByLabel("Nombre").FillAsync("Ana");
        await page.GetByLabel("Apellido").FillAsync("Gómez");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Contraseña", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("Repite la contraseña").FillAsync(password);
        await page.GetByLabel("Ciudad").FillAsync("Bogotá");
        await page.GetByLabel("País").FillAsync("Colombia");
    }
}
